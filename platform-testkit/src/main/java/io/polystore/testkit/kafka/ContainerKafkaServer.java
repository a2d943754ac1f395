package io.polystore.testkit.kafka;

import org.testcontainers.kafka.KafkaContainer;

/** The official {@code apache/kafka} image, for machines with a Docker engine. */
public final class ContainerKafkaServer implements KafkaServer {

    private final KafkaContainer container;

    private ContainerKafkaServer(KafkaContainer container) {
        this.container = container;
    }

    public static ContainerKafkaServer start() {
        KafkaContainer container = new KafkaContainer("apache/kafka:4.1.2")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        container.start();
        return new ContainerKafkaServer(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
