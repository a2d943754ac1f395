package io.polystore.audit;

import io.polystore.audit.chain.AuditAction;
import io.polystore.audit.chain.AuditEntry;
import io.polystore.audit.chain.AuditTrail;
import io.polystore.audit.verification.ChainVerifier;
import io.polystore.audit.verification.VerificationReport;
import io.polystore.events.AccessDecided;
import io.polystore.events.EventEnvelope;
import io.polystore.events.kafka.KafkaEventBinding;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.TestPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sustained ingest and verification speed, with the production checkpoint interval. Not part of {@code verify}
 * (failsafe runs only *IT); the command and the figures are in the README.
 */
@AuditServiceTest
@TestPropertySource(properties = "polystore.audit.checkpoints.every-records=1000")
class AuditTrailBenchmark {

    private static final int KAFKA_EVENTS = Integer.getInteger("benchmark.kafkaEvents", 100_000);
    private static final int DIRECT_RECORDS = Integer.getInteger("benchmark.directRecords", 100_000);
    private static final int STEADY_RATE = Integer.getInteger("benchmark.steadyRate", 1_000);
    private static final Duration STEADY_FOR = Duration.ofSeconds(15);
    private static final int BATCH = 500;
    private static final Clock CLOCK = Clock.systemUTC();

    @Autowired
    AuditTrail trail;

    @Autowired
    ChainVerifier verifier;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    KafkaEventBinding binding;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Test
    void sustainedIngestAndVerification() throws Exception {
        String loadAverage = Files.readString(Path.of("/proc/loadavg")).strip();
        AuditDatabase.resetTrail();
        warmUp();

        double kafkaRate = ingestThroughKafka();
        publishSteadily();
        double directRate = appendDirectly();
        trail.checkpoint();
        long chainLength = trail.head().position();

        double[] verifyRates = new double[3];
        for (int run = 0; run < verifyRates.length; run++) {
            long started = System.nanoTime();
            VerificationReport report = verifier.verify(null, null);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(report.intact()).isTrue();
            verifyRates[run] = report.recordsChecked() / seconds;
        }
        Arrays.sort(verifyRates);

        System.out.printf("""

                === audit-service benchmark (%d cores, load average before: %s) ===
                ingest from a Kafka backlog  : %,10.0f records/s  (%,d events, batch listener, one writer)
                append directly, batches %d : %,10.0f records/s  (%,d records)
                verification (median of 3)   : %,10.0f records/s  (chain of %,d records)
                Crosby & Wallach (2009)      :      1,750 events/s
                ingest / C&W                 : %10.1f x
                verification / ingest        : %10.1f x
                lag event time -> stored at a steady %,d events/s: %s
                """, Runtime.getRuntime().availableProcessors(), loadAverage, kafkaRate, KAFKA_EVENTS, BATCH, directRate,
                DIRECT_RECORDS, verifyRates[1], chainLength, kafkaRate / 1750, verifyRates[1] / kafkaRate, STEADY_RATE, lagSummary());
        AuditDatabase.resetTrail();
    }

    private void warmUp() throws Exception {
        for (int i = 0; i < 20; i++) {
            trail.append(entries(BATCH));
        }
        verifier.verify(null, null);
        AuditDatabase.resetTrail();
    }

    /**
     * Publishes all events while the listener is paused, then resumes it and measures until every one is stored:
     * the rate at which the service works off a backlog, without the producer competing for the same cores.
     */
    private double ingestThroughKafka() throws Exception {
        MessageListenerContainer listener = listeners.getListenerContainer("audit-events");
        listener.pause();
        await().atMost(Duration.ofSeconds(30)).until(listener::isContainerPaused);
        long before = trail.head().position();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(KAFKA_EVENTS);
        for (int i = 0; i < KAFKA_EVENTS; i++) {
            records.add(binding.toProducerRecord(EventEnvelope.of(new AccessDecided("user-" + (i % 1000), "web", "GET",
                    "orders", 200, AccessDecided.Decision.ALLOW, 700, "192.0.2." + (i % 250), CLOCK.instant()),
                    "/benchmark-backlog", CLOCK)));
        }
        records.forEach(kafka::send);
        kafka.flush();
        long started = System.nanoTime();
        listener.resume();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> trail.head().position() >= before + KAFKA_EVENTS);
        return KAFKA_EVENTS / ((System.nanoTime() - started) / 1e9);
    }

    /** A steady load well within capacity, as in normal operation: the lag it sees is the service's latency. */
    private void publishSteadily() {
        long before = trail.head().position();
        long interval = 1_000_000_000L / STEADY_RATE * 50;
        long events = STEADY_RATE * STEADY_FOR.toSeconds();
        long next = System.nanoTime();
        for (int sent = 0; sent < events; sent += 50) {
            for (int i = 0; i < 50; i++) {
                kafka.send(binding.toProducerRecord(EventEnvelope.of(new AccessDecided("user-" + i, "web", "GET",
                        "orders", 200, AccessDecided.Decision.ALLOW, 700, "192.0.2.1", CLOCK.instant()),
                        "/benchmark-steady", CLOCK)));
            }
            kafka.flush();
            next += interval;
            LockSupport.parkNanos(next - System.nanoTime());
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> trail.head().position() >= before + events);
    }

    private double appendDirectly() {
        List<List<AuditEntry>> batches = new ArrayList<>();
        for (int i = 0; i < DIRECT_RECORDS / BATCH; i++) {
            batches.add(entries(BATCH));
        }
        long started = System.nanoTime();
        batches.forEach(trail::append);
        return DIRECT_RECORDS / ((System.nanoTime() - started) / 1e9);
    }

    private static List<AuditEntry> entries(int count) {
        List<AuditEntry> entries = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            entries.add(AuditDatabase.entry("user-" + (i % 1000), "user-" + (i % 1000), AuditAction.ACCESS_ALLOW, now));
        }
        return entries;
    }

    /** Lag from event time to storage of the steadily published records, from the database. */
    private static String lagSummary() throws SQLException {
        try (Connection connection = AuditDatabase.asSuperuser(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("""
                     SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag), percentile_cont(0.99) WITHIN GROUP (ORDER BY lag)
                     FROM (SELECT extract(epoch FROM recorded_at - occurred_at) * 1000 AS lag
                           FROM audit.record WHERE source = '/benchmark-steady') lags""")) {
            result.next();
            return String.format("median %,.0f ms, p99 %,.0f ms",
                    result.getDouble(1), result.getDouble(2));
        }
    }
}
