package io.polystore.order.history;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.CustomerDigest;
import io.polystore.order.orders.Order;
import io.polystore.order.orders.OrderRepository;
import io.polystore.servicedefaults.outbox.OutboxWriter;
import io.polystore.servicedefaults.region.RegionProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Publishes, once, the masked history record ({@code orders.history}) of every order that may have none: those placed
 * before every change wrote one (migration V3 noted when: {@code records_since}) and not changed since. Without it,
 * an order that never changes again would stay unknown to the other regions' replicas. Migration V4 started the walk
 * over, from its own time, when the customer digest became keyed: every older order's record is published once more,
 * now with the keyed digest, at the version it has (the replicas take it in place of the unkeyed one).
 *
 * <p>It runs in the background after start-up, in batches of {@code batch-size} orders, oldest first: each batch
 * writes its records through the outbox and moves the walk's cursor in one transaction, so a crash resumes after the
 * last batch that committed, and no batch is published twice. The batch's orders are locked {@code FOR SHARE} until
 * it commits, so that a change racing with it commits its own, newer record after the backfilled one (the compacted
 * topic keeps the last record of each order). Several instances take turns: a batch takes the walk's row with
 * {@code SKIP LOCKED}, and an instance that finds it taken waits a pause. Records published are counted in
 * {@code polystore.orders.history.backfilled}; the start and the end of the walk are logged.
 */
@Service
public class OrderHistoryBackfill implements SmartLifecycle {

    /** What one batch did: the records it published, and whether the walk is done. */
    public record Batch(int published, boolean finished) {
    }

    private static final Logger log = LoggerFactory.getLogger(OrderHistoryBackfill.class);

    private final JdbcClient jdbc;
    private final OrderRepository orders;
    private final OutboxWriter outbox;
    private final TransactionTemplate transaction;
    private final HistoryBackfillProperties properties;
    private final String region;
    private final CustomerDigest customerDigest;
    private final Clock clock;
    private final Counter backfilled;
    private volatile Thread walker;

    OrderHistoryBackfill(JdbcClient jdbc, OrderRepository orders, OutboxWriter outbox, TransactionTemplate transaction,
                         HistoryBackfillProperties properties, RegionProperties region, CustomerDigest customerDigest,
                         Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.orders = orders;
        this.outbox = outbox;
        this.transaction = transaction;
        this.properties = properties;
        this.region = region.name();
        this.customerDigest = customerDigest;
        this.clock = clock;
        this.backfilled = Counter.builder("polystore.orders.history.backfilled")
                .description("Order history records published for orders that existed before every change wrote one")
                .register(meters);
    }

    /**
     * Walks to the end, taking turns with other instances; returns the records this call published. A batch that
     * fails is thrown: the walk resumes after the last one that committed.
     */
    public long run() throws InterruptedException {
        long published = 0;
        while (true) {
            Optional<Batch> batch = publishNextBatch();
            if (batch.isPresent()) {
                published += batch.get().published();
                if (batch.get().finished()) {
                    return published;
                }
            }
            Thread.sleep(properties.pause());
        }
    }

    /**
     * Publishes the next batch in one transaction; empty when another instance holds the walk at this moment.
     */
    public Optional<Batch> publishNextBatch() {
        Optional<Batch> batch = transaction.execute(status -> walk().map(this::publishNext));
        batch.ifPresent(done -> backfilled.increment(done.published()));
        return batch;
    }

    private Optional<Walk> walk() {
        return jdbc.sql("""
                        SELECT records_since, after_placed_at, after_id, published, started_at, finished_at
                        FROM order_history_backfill FOR UPDATE SKIP LOCKED""")
                .query((rs, row) -> new Walk(instant(rs.getObject("records_since", OffsetDateTime.class)),
                        instant(rs.getObject("after_placed_at", OffsetDateTime.class)),
                        rs.getObject("after_id", UUID.class), rs.getLong("published"),
                        instant(rs.getObject("started_at", OffsetDateTime.class)),
                        rs.getObject("finished_at", OffsetDateTime.class) != null))
                .optional();
    }

    private Batch publishNext(Walk walk) {
        if (walk.finished()) {
            return new Batch(0, true);
        }
        Instant now = clock.instant();
        if (walk.startedAt() == null) {
            log.info("Order history backfill started: publishing to orders.history the record of every order placed"
                    + " before {} and not changed since, {} per batch", walk.recordsSince(), properties.batchSize());
        }
        List<Placed> next = nextOrders(walk);
        // Orders changed since wrote a record of their own, newer than none.
        List<Order> unrecorded = orders.findAllById(next.stream().map(Placed::id).toList()).stream()
                .filter(order -> order.updatedAt().isBefore(walk.recordsSince()))
                .sorted(Comparator.comparing(Order::placedAt).thenComparing(Order::id))
                .toList();
        outbox.writeAll(unrecorded.stream().map(order -> order.historyRecord(region, customerDigest)).toList());
        boolean finished = next.size() < properties.batchSize();
        // The cursor stays where it was when the batch found nothing further.
        Placed last = next.isEmpty() ? new Placed(walk.afterId(), walk.afterPlacedAt()) : next.getLast();
        jdbc.sql("""
                        UPDATE order_history_backfill SET published = published + :published,
                            started_at = COALESCE(started_at, :now),
                            finished_at = CASE WHEN :finished THEN CAST(:now AS timestamptz) END,
                            after_placed_at = COALESCE(:afterPlacedAt, after_placed_at),
                            after_id = COALESCE(:afterId, after_id)""")
                .param("published", unrecorded.size())
                .param("now", utc(now))
                .param("finished", finished)
                .param("afterPlacedAt", utc(last.placedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("afterId", last.id(), Types.OTHER)
                .update();
        if (finished) {
            log.info("Order history backfill finished: {} records published for the orders placed before {}, in {}",
                    walk.published() + unrecorded.size(), walk.recordsSince(),
                    Duration.between(walk.startedAt() == null ? now : walk.startedAt(), now));
        } else {
            log.debug("Order history backfill: {} records published, up to the order {} placed at {}",
                    unrecorded.size(), last.id(), last.placedAt());
        }
        return new Batch(unrecorded.size(), finished);
    }

    /** The next orders of the walk, locked against changes until the batch commits. */
    private List<Placed> nextOrders(Walk walk) {
        String after = walk.afterId() == null ? "" : " AND (placed_at, id) > (:afterPlacedAt, :afterId)";
        var statement = jdbc.sql("SELECT id, placed_at FROM customer_order WHERE placed_at < :recordsSince" + after
                        + " ORDER BY placed_at, id LIMIT :limit FOR SHARE")
                .param("recordsSince", utc(walk.recordsSince()))
                .param("limit", properties.batchSize());
        if (walk.afterId() != null) {
            statement = statement.param("afterPlacedAt", utc(walk.afterPlacedAt())).param("afterId", walk.afterId());
        }
        return statement.query((rs, row) -> new Placed(rs.getObject("id", UUID.class),
                instant(rs.getObject("placed_at", OffsetDateTime.class)))).list();
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            log.info("Order history backfill disabled in this instance (polystore.orders.history-backfill.enabled)");
            return;
        }
        walker = Thread.ofPlatform().daemon().name("order-history-backfill").start(this::runUntilDone);
    }

    private void runUntilDone() {
        while (walker != null) {
            try {
                long published = run();
                log.debug("Order history backfill done here, {} records published by this instance", published);
                return;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Order history backfill: a batch failed; going on from the last one committed in {}",
                        properties.retryInterval(), e);
                try {
                    Thread.sleep(properties.retryInterval());
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    @Override
    public void stop() {
        Thread running = walker;
        walker = null;
        if (running != null) {
            running.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return walker != null;
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime utc(Instant time) {
        return time == null ? null : OffsetDateTime.ofInstant(time, ZoneOffset.UTC);
    }

    private record Walk(Instant recordsSince, Instant afterPlacedAt, UUID afterId, long published, Instant startedAt,
                        boolean finished) {
    }

    private record Placed(UUID id, Instant placedAt) {
    }
}
