package io.polystore.testkit.kafka;

import io.polystore.testkit.Processes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Kafka's MirrorMaker 2 in dedicated mode ({@code org.apache.kafka.connect.mirror.MirrorMaker}, from
 * {@code org.apache.kafka:connect-mirror}) as its own JVM, mirroring topics between the regions' Kafka clusters: for
 * each {@link Flow} the named topics of the source cluster into the target cluster, renamed by MirrorMaker's default
 * replication policy to {@code <source>.<topic>} (platform-events' {@code Topics.mirrored}), each record with its key,
 * value, headers and timestamp, each topic with its configuration (a compacted topic stays compacted).
 *
 * <p>Ready means records flow: for every flow, a heartbeat that MirrorMaker wrote into the source cluster after this
 * start has arrived in the target cluster as {@code <source>.heartbeats}. Those heartbeats go on once a second, so the
 * target's {@code <source>.heartbeats} topic also shows later whether the mirror still runs and how far behind it is.
 *
 * <p>The JVM runs on this JVM's class path, which must hold {@code connect-mirror} (platform-testkit declares it as
 * an optional dependency: a module that starts MirrorMaker declares it too). Its configuration is
 * {@code mirror-maker.properties} and its log {@code mirror-maker.log}, both in the data directory.
 */
public final class MirrorMakerProcess implements AutoCloseable {

    /** MirrorMaker 2's dedicated mode: every herder of the configuration in one process. */
    static final String MAIN_CLASS = "org.apache.kafka.connect.mirror.MirrorMaker";
    /** What MirrorMaker's heartbeat connector writes to, and its replication policy prefixes when mirroring it. */
    static final String HEARTBEATS = "heartbeats";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Clocks of one machine; the slack only covers a heartbeat stamped in the millisecond of the launch. */
    private static final Duration CLOCK_SLACK = Duration.ofSeconds(1);

    /**
     * Topics mirrored from one cluster into another.
     *
     * @param source the name of the cluster the topics are read from, e.g. {@code region-1}
     * @param target the name of the cluster they are written to, under {@code <source>.<topic>}
     * @param topics their names in the source cluster, exactly (not patterns); a topic that does not exist yet is
     *               mirrored once it does, within {@code refresh.topics.interval.seconds}
     */
    public record Flow(String source, String target, List<String> topics) {

        public Flow {
            if (source.equals(target)) {
                throw new IllegalArgumentException("A flow mirrors between two clusters, not from " + source + " into itself");
            }
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("The flow " + source + "->" + target + " names no topic");
            }
            topics = List.copyOf(topics);
        }

        /** The name MirrorMaker gives a topic of the source in the target: {@code <source>.<topic>}. */
        public String mirrored(String topic) {
            return source + "." + topic;
        }
    }

    /**
     * @param clusters          each cluster's name (a region's: it prefixes the topics mirrored from it) and bootstrap
     *                          servers, in the order the configuration lists them
     * @param flows             what to mirror where; at least one
     * @param replicationFactor of the topics MirrorMaker creates in every cluster (the mirrored topics, its internal
     *                          ones): 1 for clusters of one broker, 3 for three
     */
    public record Options(Map<String, String> clusters, List<Flow> flows, int replicationFactor) {

        public Options {
            clusters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
            flows = List.copyOf(flows);
            if (flows.isEmpty()) {
                throw new IllegalArgumentException("MirrorMaker needs at least one flow");
            }
            for (Flow flow : flows) {
                for (String cluster : List.of(flow.source(), flow.target())) {
                    if (!clusters.containsKey(cluster)) {
                        throw new IllegalArgumentException("The flow " + flow.source() + "->" + flow.target()
                                + " names " + cluster + ", which is none of the clusters " + clusters.keySet());
                    }
                }
            }
            if (replicationFactor < 1) {
                throw new IllegalArgumentException("replicationFactor must be at least 1, not " + replicationFactor);
            }
        }
    }

    private final Path dataDirectory;
    private final Path config;
    private final Path log;
    private final Options options;
    private final long launchedAtMillis;
    private final Process process;

    private MirrorMakerProcess(Path dataDirectory, Path config, Options options, long launchedAtMillis, Process process) {
        this.dataDirectory = dataDirectory;
        this.config = config;
        this.log = dataDirectory.resolve("mirror-maker.log");
        this.options = options;
        this.launchedAtMillis = launchedAtMillis;
        this.process = process;
    }

    /**
     * Writes the configuration, starts MirrorMaker and returns once records flow in every flow.
     *
     * @throws IllegalStateException when connect-mirror is not on the class path, or MirrorMaker exits or does not
     *                               mirror within 3 minutes; the message names its log. It is stopped again then.
     */
    public static MirrorMakerProcess start(Path dataDirectory, Options options) {
        return start(dataDirectory, options, START_TIMEOUT);
    }

    /** As {@link #start(Path, Options)}, waiting at most {@code timeout} for records to flow. */
    public static MirrorMakerProcess start(Path dataDirectory, Options options, Duration timeout) {
        if (MirrorMakerProcess.class.getClassLoader().getResource(MAIN_CLASS.replace('.', '/') + ".class") == null) {
            throw new IllegalStateException("MirrorMaker 2 is not on the class path: add org.apache.kafka:connect-mirror"
                    + " (the Kafka version of the brokers) to the module that starts it");
        }
        Path config;
        Process process;
        long launchedAt = System.currentTimeMillis();
        try {
            Files.createDirectories(dataDirectory);
            config = dataDirectory.resolve("mirror-maker.properties");
            Files.write(config, properties(options));
            Path log = dataDirectory.resolve("mirror-maker.log");
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC",
                    "-Dlogback.configurationFile=polystore-local-logback.xml",
                    "-cp", System.getProperty("java.class.path"), MAIN_CLASS, config.toString());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start MirrorMaker in " + dataDirectory, e);
        }
        MirrorMakerProcess mirrorMaker = new MirrorMakerProcess(dataDirectory, config, options, launchedAt, process);
        try {
            mirrorMaker.awaitRecordsFlowing(timeout);
            return mirrorMaker;
        } catch (RuntimeException e) {
            mirrorMaker.close();
            throw e;
        }
    }

    /**
     * MirrorMaker's configuration. Only the flows asked for run; the reverse of each emits the heartbeats into the
     * flow's source that the flow then mirrors (MirrorMaker's own way to show that a flow is alive); no checkpoints or
     * consumer offsets are translated, since no consumer group moves between regions.
     */
    static List<String> properties(Options options) {
        String replicas = Integer.toString(options.replicationFactor());
        List<String> lines = new ArrayList<>(List.of(
                "# Written by platform-testkit's MirrorMakerProcess at each start.",
                "clusters=" + String.join(",", options.clusters().keySet())));
        // Connect's plugins from their ServiceLoader manifests: scanning the class path took some 25 s, once for
        // MirrorMaker and once per herder (a worker setting, which MirrorMaker takes per target cluster).
        lines.add("plugin.discovery=service_load");
        options.clusters().forEach((name, servers) -> {
            lines.add(name + ".bootstrap.servers=" + servers);
            lines.add(name + ".plugin.discovery=service_load");
        });
        lines.addAll(List.of(
                // The default replication policy: <source>.<topic>, the names platform-events' Topics.mirrored gives.
                "replication.policy.class=org.apache.kafka.connect.mirror.DefaultReplicationPolicy",
                // New topics (a service creates its topic at its first start) are mirrored within seconds, not the
                // default 10 minutes.
                "refresh.topics.interval.seconds=2",
                // A mirrored topic is created with its source's configuration, and follows its changes within a
                // minute (the default is 10 minutes; Kafka 4.1 logs each sync as a warning, so not every few seconds).
                "sync.topic.configs.enabled=true",
                "sync.topic.configs.interval.seconds=60",
                // The local brokers have no authoriser: there are no ACLs to copy.
                "sync.topic.acls.enabled=false",
                // No consumer group moves between regions: no offsets to translate. (The checkpoint connector is
                // configured whatever emit.checkpoints.enabled says, and refuses false with an error in the log.)
                "groups.exclude=.*",
                "sync.group.offsets.enabled=false",
                "emit.heartbeats.enabled=false",
                "emit.heartbeats.interval.seconds=1",
                "tasks.max=1",
                "replication.factor=" + replicas,
                "heartbeats.topic.replication.factor=" + replicas,
                "checkpoints.topic.replication.factor=" + replicas,
                "offset-syncs.topic.replication.factor=" + replicas,
                "config.storage.replication.factor=" + replicas,
                "offset.storage.replication.factor=" + replicas,
                "status.storage.replication.factor=" + replicas,
                // Where a mirrored record's source position is kept: committed often, so that a restart repeats little.
                "offset.flush.interval.ms=5000"));
        for (Flow flow : options.flows()) {
            String pair = flow.source() + "->" + flow.target();
            lines.add(pair + ".enabled=true");
            // Patterns, so each name's dots escaped (and the backslashes once more for the properties format).
            lines.add(pair + ".topics=" + flow.topics().stream().map(topic -> topic.replace(".", "\\\\."))
                    .collect(Collectors.joining(",")));
            lines.add(flow.target() + "->" + flow.source() + ".emit.heartbeats.enabled=true");
        }
        return lines;
    }

    /** The configuration MirrorMaker runs with. */
    public Path config() {
        return config;
    }

    /** Its output: Connect's warnings and errors (see {@code polystore-local-logback.xml}). */
    public Path log() {
        return log;
    }

    public Options options() {
        return options;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM (MirrorMaker stops its herders and commits its positions), SIGKILL if that takes over 30 s. */
    @Override
    public void close() {
        Processes.stop(process, STOP_TIMEOUT);
    }

    @Override
    public String toString() {
        return "MirrorMaker 2 (" + options.flows().stream().map(flow -> flow.source() + "->" + flow.target())
                .collect(Collectors.joining(", ")) + ", data in " + dataDirectory + ")";
    }

    private void awaitRecordsFlowing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Flow flow : options.flows()) {
            String topic = flow.mirrored(HEARTBEATS);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(options.clusters().get(flow.target()))) {
                List<TopicPartition> assigned = List.of();
                while (true) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("MirrorMaker exited with status " + process.exitValue()
                                + " before it mirrored " + flow.source() + "->" + flow.target() + "; see " + log);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("MirrorMaker mirrored nothing from " + flow.source() + " to "
                                + flow.target() + " within " + timeout.toSeconds() + " s (no heartbeat of this"
                                + " start reached " + topic + "); see " + log);
                    }
                    if (assigned.isEmpty()) {
                        assigned = sinceLaunch(consumer, topic);
                        pause();
                        continue;
                    }
                    if (!consumer.poll(Duration.ofMillis(500)).isEmpty()) {
                        break;
                    }
                }
            }
        }
    }

    /**
     * Assigns the consumer the topic's partitions, each from its first record since the launch, once the topic exists;
     * returns them, or none while MirrorMaker has not created it.
     */
    private List<TopicPartition> sinceLaunch(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> partitions = consumer.listTopics(Duration.ofSeconds(5)).get(topic);
        if (partitions == null || partitions.isEmpty()) {
            return List.of();
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(partition -> new TopicPartition(topic, partition.partition())).toList();
        consumer.assign(assigned);
        long since = launchedAtMillis - CLOCK_SLACK.toMillis();
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(
                assigned.stream().collect(Collectors.toMap(Function.identity(), partition -> since)), Duration.ofSeconds(5));
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(5));
        for (TopicPartition partition : assigned) {
            OffsetAndTimestamp first = offsets.get(partition);
            consumer.seek(partition, first == null ? ends.get(partition) : first.offset());
        }
        return assigned;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
    }

    private static void pause() {
        try {
            Thread.sleep(Duration.ofMillis(500));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for MirrorMaker", e);
        }
    }
}
