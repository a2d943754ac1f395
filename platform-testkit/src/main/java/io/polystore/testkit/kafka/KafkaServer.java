package io.polystore.testkit.kafka;

/** A running Kafka broker in KRaft mode. */
public interface KafkaServer extends AutoCloseable {

    /** The {@code bootstrap.servers} value clients connect with. */
    String bootstrapServers();

    @Override
    void close();
}
