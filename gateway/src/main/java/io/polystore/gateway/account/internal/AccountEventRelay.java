package io.polystore.gateway.account.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.EventCodec;
import io.polystore.events.kafka.KafkaEventBinding;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Sends the account events waiting in {@code account_event} to Kafka and deletes each once Kafka has acknowledged it:
 * at least once, with the event's id kept, so that audit-service stores it once. Rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED}, so several gateways relay side by side. While Kafka is away the rows wait, and the
 * relay tries again after a pause.
 */
public final class AccountEventRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AccountEventRelay.class);
    private static final int BATCH = 100;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Function<ProducerRecord<String, byte[]>, CompletableFuture<?>> sender;
    private final KafkaEventBinding binding;
    private final EventCodec codec;
    private final Duration interval;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running;
    private volatile boolean failing;
    private Thread worker;

    /**
     * @param sender   hands a record to Kafka (a {@code KafkaTemplate::send})
     * @param interval how often the table is looked at without being woken; also the pause after a failure
     */
    public AccountEventRelay(JdbcClient jdbc, TransactionTemplate transactions,
                             Function<ProducerRecord<String, byte[]>, CompletableFuture<?>> sender,
                             KafkaEventBinding binding, EventCodec codec, Duration interval, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.sender = sender;
        this.binding = binding;
        this.codec = codec;
        this.interval = interval;
        Gauge.builder("polystore.gateway.account.events.pending", this, AccountEventRelay::pending)
                .description("Account events not yet acknowledged by Kafka").register(meters);
    }

    /** Relays one batch; answers how many events Kafka acknowledged. @throws RuntimeException when it did not */
    public int relayOnce() {
        Integer relayed = transactions.execute(status -> {
            record Row(UUID id, byte[] envelope) {
            }
            List<Row> rows = jdbc.sql("SELECT id, envelope FROM account_event ORDER BY created_at, id LIMIT :batch "
                            + "FOR UPDATE SKIP LOCKED")
                    .param("batch", BATCH)
                    .query((rs, row) -> new Row(rs.getObject("id", UUID.class), rs.getBytes("envelope"))).list();
            if (rows.isEmpty()) {
                return 0;
            }
            CompletableFuture<?>[] sends = rows.stream()
                    .map(row -> sender.apply(binding.toProducerRecord(codec.fromStructuredJson(row.envelope()))))
                    .toArray(CompletableFuture[]::new);
            try {
                CompletableFuture.allOf(sends).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while Kafka took account events", e);
            } catch (Exception e) {
                throw new IllegalStateException("Kafka did not take the account events: " + e.getMessage(), e);
            }
            jdbc.sql("DELETE FROM account_event WHERE id IN (:ids)")
                    .param("ids", rows.stream().map(Row::id).toList()).update();
            return rows.size();
        });
        return relayed == null ? 0 : relayed;
    }

    void wake() {
        wakeUps.release();
    }

    private void run() {
        while (running) {
            try {
                int relayed = relayOnce();
                if (failing) {
                    failing = false;
                    log.info("Account events reach Kafka again");
                }
                if (relayed < BATCH) {
                    wakeUps.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!failing) {
                    failing = true;
                    log.warn("Cannot relay account events ({}); they wait in account_event", e.getMessage());
                }
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private double pending() {
        try {
            return jdbc.sql("SELECT count(*) FROM account_event").query(Long.class).single();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    @Override
    public void start() {
        running = true;
        worker = Thread.ofPlatform().name("account-event-relay").daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        wake();
        try {
            worker.join(SEND_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
