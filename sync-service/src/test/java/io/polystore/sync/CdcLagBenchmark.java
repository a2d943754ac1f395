package io.polystore.sync;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.polystore.events.EventCodec;
import io.polystore.events.OrderCancelled;
import io.polystore.events.StockReleased;
import io.polystore.events.Topics;
import io.polystore.servicedefaults.outbox.OutboxWriter;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.sync.relay.ExclusiveRelayRunner;
import io.polystore.sync.surreal.ChangeFeedCursors;
import io.polystore.sync.surreal.internal.ChangeFeedEntries;
import io.polystore.sync.support.CatalogOutbox;
import io.polystore.sync.support.SourceStores;
import io.polystore.sync.support.SyncServiceTest;
import io.polystore.sync.support.TopicRecords;
import io.polystore.testkit.SharedServers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * CDC lag and relay rate of both relays, in the shared test context (the whole service on the embedded PostgreSQL,
 * KRaft broker and SurrealDB engine). Lag: from the writer's commit returning to a Kafka consumer receiving the
 * record, at a steady rate, one event per transaction. Rate: a backlog written while the relay is stopped, then
 * the relay started; events per second from the first to the last record received. Not part of {@code verify}
 * (failsafe runs only *IT); the command and the figures are in the README.
 */
@SyncServiceTest
class CdcLagBenchmark {

    private static final int RATE = Integer.getInteger("benchmark.rate", 200);
    private static final int SECONDS = Integer.getInteger("benchmark.seconds", 30);
    private static final int BACKLOG = Integer.getInteger("benchmark.backlog", 20_000);
    private static final int BACKLOG_TRANSACTION = 10;
    private static final int WRITERS = 4;

    @Autowired ExclusiveRelayRunner postgresRelayRunner;
    @Autowired ExclusiveRelayRunner surrealRelayRunner;
    @Autowired EventCodec codec;
    @Autowired MeterRegistry registry;
    @Autowired ChangeFeedCursors cursors;

    private final Map<String, Long> received = new ConcurrentHashMap<>();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private volatile boolean consuming = true;
    private volatile boolean consumerAlive = true;

    @Test
    void lagAtASteadyRateAndHighestRelayRate() throws Exception {
        String loadBefore = loadAverage();
        await().atMost(Duration.ofSeconds(60)).until(() -> postgresRelayRunner.state() == ExclusiveRelayRunner.State.ACTIVE
                && surrealRelayRunner.state() == ExclusiveRelayRunner.State.ACTIVE);
        Thread consumer = Thread.ofPlatform().name("benchmark-consumer").start(() -> {
            try {
                consume();
            } finally {
                consumerAlive = false;
            }
        });
        positioned.await();
        // Pooled, as in order-service: opening a connection per transaction would be most of the writer's time.
        HikariDataSource orders = new HikariDataSource();
        orders.setJdbcUrl(SharedServers.postgres().jdbcUrl(SourceStores.ORDERS_DATABASE));
        orders.setUsername(SharedServers.postgres().username());
        orders.setPassword(SharedServers.postgres().password());
        orders.setMaximumPoolSize(WRITERS);
        OutboxWriter outboxWriter = new OutboxWriter(JdbcClient.create(orders), codec, "outbox_event", "/order-service", Clock.systemUTC());
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(orders));
        IntFunction<List<String>> postgres = count -> transaction.execute(status -> IntStream.range(0, count)
                .mapToObj(i -> outboxWriter.write(new OrderCancelled(UUID.randomUUID(), Instant.now())).id()).toList());
        try (SurrealClient surreal = SourceStores.surrealOutbox()) {
            CatalogOutbox catalogOutbox = new CatalogOutbox(surreal, codec);
            IntFunction<List<String>> surrealdb = count -> catalogOutbox.write(IntStream.range(0, count)
                    .mapToObj(i -> new StockReleased(UUID.randomUUID(), "r" + i)).toList()).stream().map(e -> e.id()).toList();

            Source postgresSource = new Source("postgres", postgres, postgresRelayRunner, id -> inOutboxTable(orders, id), Topics.ORDERS_EVENTS);
            Source surrealSource = new Source("surrealdb", surrealdb, surrealRelayRunner, id -> inChangeFeed(surreal, id), Topics.CATALOG_EVENTS);
            steady(postgresSource, 2);
            steady(surrealSource, 2);
            Lag postgresLag = steady(postgresSource, SECONDS);
            Lag surrealLag = steady(surrealSource, SECONDS);
            String loadSteady = loadAverage();
            Rate postgresRate = backlog(postgresSource);
            Rate surrealRate = backlog(surrealSource);

            System.out.printf("""

                    === CdcLagBenchmark (%d cores; load average before %s, after the steady runs %s, at the end %s) ===
                    lag = writer's commit returned -> record received by a Kafka consumer (read_committed);
                    relay = the relay's own metric, store's commit timestamp -> Kafka's ack (histogram bucket bounds)
                    source     | steady %d/s for %d s: written/s  p50 ms  p99 ms  max ms | relay p50  p99 | backlog of %,d: events/s  incl. relay start
                    postgres   | %35.0f %7.1f %7.1f %7.1f | %9.0f %4.0f | %,25.0f %,18.0f
                    surrealdb  | %35.0f %7.1f %7.1f %7.1f | %9.0f %4.0f | %,25.0f %,18.0f
                    """, Runtime.getRuntime().availableProcessors(), loadBefore, loadSteady, loadAverage(), RATE, SECONDS, BACKLOG,
                    postgresLag.written, postgresLag.p50, postgresLag.p99, postgresLag.max, postgresLag.relayP50, postgresLag.relayP99,
                    postgresRate.sustained, postgresRate.withStart,
                    surrealLag.written, surrealLag.p50, surrealLag.p99, surrealLag.max, surrealLag.relayP50, surrealLag.relayP99,
                    surrealRate.sustained, surrealRate.withStart);
        } finally {
            consuming = false;
            consumer.join();
            orders.close();
        }
    }

    /**
     * Writes one event per transaction at {@link #RATE} for {@code seconds}, and measures each one's lag. Several
     * writers, each taking the next slot of the schedule, so that one slow commit does not lower the rate.
     */
    private Lag steady(Source source, int seconds) throws InterruptedException {
        Map<String, Long> committed = new ConcurrentHashMap<>();
        HistogramSnapshot relayBefore = relayLag(source.name);
        long interval = 1_000_000_000L / RATE;
        int events = RATE * seconds;
        AtomicInteger slots = new AtomicInteger();
        long started = System.nanoTime();
        List<Thread> writers = IntStream.range(0, WRITERS).mapToObj(w -> Thread.ofPlatform().start(() -> {
            for (int slot = slots.getAndIncrement(); slot < events; slot = slots.getAndIncrement()) {
                LockSupport.parkNanos(started + slot * interval - System.nanoTime());
                String id = source.writer.apply(1).getFirst();
                committed.put(id, System.nanoTime());
            }
        })).toList();
        for (Thread thread : writers) {
            thread.join();
        }
        double written = committed.size() / ((System.nanoTime() - started) / 1e9);
        awaitReceived(source, committed.keySet());
        double[] lags = committed.entrySet().stream().mapToDouble(e -> (received.get(e.getKey()) - e.getValue()) / 1e6).sorted().toArray();
        HistogramSnapshot relayAfter = relayLag(source.name);
        return new Lag(written, percentile(lags, 0.50), percentile(lags, 0.99), lags[lags.length - 1],
                bucketPercentile(relayBefore, relayAfter, 0.50), bucketPercentile(relayBefore, relayAfter, 0.99));
    }

    private void awaitReceived(Source source, Collection<String> ids) {
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> received.keySet().containsAll(ids));
        } catch (ConditionTimeoutException e) {
            List<String> missing = ids.stream().filter(id -> !received.containsKey(id)).toList();
            throw new AssertionError(missing.size() + " of " + ids.size() + " " + source.name
                    + " events not received; consumer alive: " + consumerAlive + ", relayed: "
                    + registry.find("polystore.sync.events.relayed").counters().stream().mapToDouble(c -> c.count()).sum()
                    + diagnosis(source, missing), e);
        }
    }

    /**
     * For each missing id (the first ten): whether the store holds it, and whether it is anywhere in the topic or in
     * the dead-letter topic, read from their beginning by a fresh consumer. In the store but in neither topic is a
     * relay loss; in the topic, an artefact of the benchmark's consumer; dead-lettered, a row the relay could not read.
     */
    private String diagnosis(Source source, List<String> missing) {
        Set<String> inTopic = ids(source.topic);
        Set<String> deadLettered = ids(Topics.deadLetter("sync-service"));
        StringBuilder report = new StringBuilder();
        for (String id : missing.stream().limit(10).toList()) {
            report.append("\n  ").append(id).append(": in the store: ").append(source.inStore.apply(id))
                    .append("; in the topic: ").append(inTopic.contains(id))
                    .append("; dead-lettered: ").append(deadLettered.contains(id));
        }
        return report.toString();
    }

    /** The ce_id of every record in the topic, read from its beginning until five polls in a row bring nothing new. */
    private static Set<String> ids(String topicName) {
        Set<String> ids = new HashSet<>();
        try (TopicRecords topic = new TopicRecords(topicName)) {
            for (int idle = 0; idle < 5; ) {
                int before = ids.size();
                topic.matching(record -> true).forEach(record -> ids.add(TopicRecords.header(record, "ce_id")));
                idle = ids.size() == before ? idle + 1 : 0;
            }
        }
        return ids;
    }

    private static String inOutboxTable(DataSource orders, String id) {
        return JdbcClient.create(orders).sql("SELECT 'row, wal_lsn ' || wal_lsn || ', created_at ' || created_at FROM outbox_event WHERE id = :id::uuid")
                .param("id", id).query(String.class).optional().orElse("no row");
    }

    /** Reads the whole change feed: the versionstamp of the entry, and the relay's cursor. */
    @SuppressWarnings("unchecked")
    private String inChangeFeed(SurrealClient surreal, String id) {
        long since = 0;
        String found = "not in the change feed";
        while (true) {
            Object result = surreal.query("SHOW CHANGES FOR TABLE outbox SINCE " + since + " LIMIT 1000").result(0);
            List<Map<String, Object>> page = result instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
            for (Map<String, Object> changeSet : page) {
                long versionstamp = ((Number) changeSet.get("versionstamp")).longValue();
                for (Map<String, Object> change : (List<Map<String, Object>>) changeSet.get("changes")) {
                    if (change.get("update") instanceof Map<?, ?> row && String.valueOf(row.get("id")).contains(id)) {
                        found = "in the change feed at versionstamp " + versionstamp + " (" + ChangeFeedEntries.commitTime(versionstamp) + ")";
                    }
                }
                since = versionstamp + 1;
            }
            if (page.size() < 1000) {
                return found + "; relay cursor " + cursors.next("surrealdb");
            }
        }
    }

    private HistogramSnapshot relayLag(String source) {
        var timer = registry.find("polystore.sync.cdc.lag").tag("source", source).timer();
        return timer == null ? null : timer.takeSnapshot();
    }

    /**
     * The upper bound of the histogram bucket holding the percentile of what was recorded between the snapshots;
     * {@code before} is null when nothing was recorded yet.
     */
    private static double bucketPercentile(HistogramSnapshot before, HistogramSnapshot after, double fraction) {
        CountAtBucket[] to = after.histogramCounts();
        double total = after.count() - (before == null ? 0 : before.count());
        for (int i = 0; i < to.length; i++) {
            double counted = to[i].count() - (before == null ? 0 : before.histogramCounts()[i].count());
            if (counted >= fraction * total) {
                return to[i].bucket(TimeUnit.MILLISECONDS);
            }
        }
        return Double.NaN;
    }

    /** Writes {@link #BACKLOG} events while the relay is stopped, starts it, and measures until all were received. */
    private Rate backlog(Source source) {
        source.runner.stop();
        List<String> ids = new ArrayList<>(BACKLOG);
        while (ids.size() < BACKLOG) {
            ids.addAll(source.writer.apply(BACKLOG_TRANSACTION));
        }
        long started = System.nanoTime();
        source.runner.start();
        awaitReceived(source, ids);
        long first = ids.stream().mapToLong(received::get).min().orElseThrow();
        long last = ids.stream().mapToLong(received::get).max().orElseThrow();
        return new Rate(BACKLOG / ((last - first) / 1e9), BACKLOG / ((last - started) / 1e9));
    }

    /** Notes when each record arrives, from the end of both topics on. */
    private void consume() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = Stream.of(Topics.ORDERS_EVENTS, Topics.CATALOG_EVENTS)
                    .flatMap(topic -> consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.countDown();
            while (consuming) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<String, byte[]> record : records) {
                    var id = record.headers().lastHeader("ce_id");
                    if (id != null) {
                        received.putIfAbsent(new String(id.value(), StandardCharsets.UTF_8), now);
                    }
                }
            }
        }
    }

    private static double percentile(double[] sorted, double fraction) {
        return sorted[(int) Math.ceil(fraction * sorted.length) - 1];
    }

    private static String loadAverage() throws Exception {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private record Lag(double written, double p50, double p99, double max, double relayP50, double relayP99) {
    }

    private record Rate(double sustained, double withStart) {
    }

    private record Source(String name, IntFunction<List<String>> writer, ExclusiveRelayRunner runner,
                          Function<String, String> inStore, String topic) {
    }
}
