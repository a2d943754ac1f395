package io.polystore.testkit.kafka;

import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Several {@link KafkaBrokerProcess}es as one KRaft cluster, each node broker and controller at once, so that the
 * controller quorum and every topic outlive one node. Its own topics are replicated three times with
 * {@code min.insync.replicas=2}; so are the platform's, which the services create with
 * {@code polystore.kafka.replication-factor=3} and {@code min-insync-replicas=2}.
 */
public final class KafkaCluster implements KafkaServer {

    private final List<KafkaBrokerProcess> brokers;

    private KafkaCluster(List<KafkaBrokerProcess> brokers) {
        this.brokers = List.copyOf(brokers);
    }

    /**
     * Starts the nodes together (a static quorum elects its leader only once a majority runs) and returns when every
     * one answers. The first start formats each node's storage with one cluster id, kept in {@code cluster.id}.
     *
     * @param dataDirectory where node {@code n} keeps its log, in {@code node-<n>}
     * @param ports         each node's client port; its controller listens on the next one
     */
    public static KafkaCluster start(Path dataDirectory, List<Integer> ports) {
        String clusterId = clusterId(dataDirectory);
        List<KafkaBrokerProcess> brokers = new ArrayList<>();
        for (int node = 1; node <= ports.size(); node++) {
            brokers.add(KafkaBrokerProcess.prepare(dataDirectory.resolve("node-" + node), node, ports, clusterId, null));
        }
        KafkaCluster cluster = new KafkaCluster(brokers);
        try {
            brokers.forEach(KafkaBrokerProcess::launch);
            brokers.forEach(KafkaBrokerProcess::awaitReady);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Node {@code index}, 0 for the first. */
    public KafkaBrokerProcess broker(int index) {
        return brokers.get(index);
    }

    public List<KafkaBrokerProcess> brokers() {
        return brokers;
    }

    @Override
    public String bootstrapServers() {
        return brokers.stream().map(KafkaBrokerProcess::bootstrapServers).collect(Collectors.joining(","));
    }

    /** Stops the nodes together: one left alone would wait in vain for a controller quorum to shut down cleanly. */
    @Override
    public void close() {
        CompletableFuture.allOf(brokers.stream().map(broker -> CompletableFuture.runAsync(broker::close,
                task -> Thread.ofPlatform().name("stop kafka " + broker.bootstrapServers()).start(task)))
                .toArray(CompletableFuture[]::new)).join();
    }

    private static String clusterId(Path dataDirectory) {
        Path file = dataDirectory.resolve("cluster.id");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(dataDirectory);
            String id = Uuid.randomUuid().toString();
            Files.writeString(file, id);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the Kafka cluster's id in " + file, e);
        }
    }
}
