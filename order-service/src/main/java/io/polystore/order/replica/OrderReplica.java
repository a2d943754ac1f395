package io.polystore.order.replica;

import io.polystore.events.CustomerDigest;
import io.polystore.events.EventCodec;
import io.polystore.events.Money;
import io.polystore.events.OrderHistoryRecorded;
import io.polystore.order.orders.OrderStatus;
import io.polystore.order.placement.OrderPage;
import io.polystore.order.placement.OrderView;
import io.polystore.servicedefaults.region.RegionProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The read-only replica of other regions' orders ({@code order_replica}): each order's latest masked record, as its
 * home region published it to {@code orders.history}. A record is applied only if its version is above the one held
 * (or equal to it under another customer key: {@link #apply}), in one statement, so records may arrive in any order
 * and any number of times: the newest wins, once. Reads find a customer's orders by the keyed digest of their id
 * ({@link CustomerDigest}) and show them as {@link OrderView}s without personal data.
 * Applied records are counted in {@code polystore.orders.replica.records} by {@code outcome}.
 */
@Service
public class OrderReplica {

    /** What became of a record. */
    public enum Outcome { APPLIED, STALE, OWN_REGION }

    private static final String SUMMARY_COLUMNS = "order_id, status, placed_at, record::text AS record";

    private final JdbcClient jdbc;
    private final EventCodec codec;
    private final JsonMapper json = JsonMapper.builder().build();
    private final String region;
    private final CustomerDigest customerDigest;
    private final Clock clock;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

    OrderReplica(JdbcClient jdbc, EventCodec codec, RegionProperties region, CustomerDigest customerDigest, Clock clock,
                 MeterRegistry meters) {
        this.jdbc = jdbc;
        this.codec = codec;
        this.region = region.name();
        this.customerDigest = customerDigest;
        this.clock = clock;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder("polystore.orders.replica.records")
                    .description("Order history records received from other regions, by what became of them")
                    .tag("outcome", outcome.name().toLowerCase()).register(meters));
        }
    }

    /**
     * Applies a record if it is newer than the one held (or none is held), or if it is the held version under another
     * customer key: the home region re-published the record with a new digest (migration V4, the digest made keyed).
     * Taking that equal version is safe: an order's records are keyed by its id, so they are on one partition and
     * come in the order the home region wrote them, and a record published again comes after the one it replaces (a
     * redelivery from before both brings the older one back first, then this one again). Nothing else of the record
     * differs at an equal version, so the order's history cannot go back.
     */
    public Outcome apply(OrderHistoryRecorded record) {
        Outcome outcome;
        if (record.homeRegion().equals(region)) {
            // This region keeps the order itself; a record of its own that came back is nothing to hold.
            outcome = Outcome.OWN_REGION;
        } else {
            int changed = jdbc.sql("""
                            INSERT INTO order_replica (order_id, home_region, customer_key, version, status, placed_at,
                                record, applied_at)
                            VALUES (:orderId, :homeRegion, :customerKey, :version, :status, :placedAt,
                                CAST(:record AS jsonb), :appliedAt)
                            ON CONFLICT (order_id) DO UPDATE SET home_region = EXCLUDED.home_region,
                                customer_key = EXCLUDED.customer_key, version = EXCLUDED.version,
                                status = EXCLUDED.status, placed_at = EXCLUDED.placed_at, record = EXCLUDED.record,
                                applied_at = EXCLUDED.applied_at
                            WHERE order_replica.version < EXCLUDED.version
                                OR (order_replica.version = EXCLUDED.version
                                    AND order_replica.customer_key <> EXCLUDED.customer_key)""")
                    .param("orderId", record.orderId())
                    .param("homeRegion", record.homeRegion())
                    .param("customerKey", record.customerKey())
                    .param("version", record.version())
                    .param("status", record.status())
                    .param("placedAt", utc(record.placedAt()))
                    .param("record", new String(codec.toDataJson(record), StandardCharsets.UTF_8))
                    .param("appliedAt", utc(clock.instant()))
                    .update();
            outcome = changed == 1 ? Outcome.APPLIED : Outcome.STALE;
        }
        outcomes.get(outcome).increment();
        return outcome;
    }

    /** The customer's order homed in {@code homeRegion}, if this region holds it. */
    public Optional<OrderView> find(UUID orderId, String customerId, String homeRegion) {
        return jdbc.sql("SELECT record::text FROM order_replica"
                        + " WHERE order_id = :orderId AND customer_key = :customerKey AND home_region = :homeRegion")
                .param("orderId", orderId)
                .param("customerKey", customerDigest.of(customerId))
                .param("homeRegion", homeRegion)
                .query(String.class)
                .optional()
                .map(text -> view(read(text), customerId));
    }

    /**
     * A page of the customer's orders homed in {@code homeRegion}, newest first, after {@code cursor} (null for the
     * first page), filtered as {@code GET /orders} filters.
     */
    public OrderPage list(String customerId, String homeRegion, List<OrderStatus> statuses, Instant placedFrom,
                          Instant placedBefore, ReplicaCursor cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + SUMMARY_COLUMNS + " FROM order_replica"
                + " WHERE customer_key = :customerKey AND home_region = :homeRegion");
        Map<String, Object> params = new HashMap<>();
        params.put("customerKey", customerDigest.of(customerId));
        params.put("homeRegion", homeRegion);
        if (statuses != null && !statuses.isEmpty()) {
            sql.append(" AND status IN (:statuses)");
            params.put("statuses", statuses.stream().map(Enum::name).toList());
        }
        if (placedFrom != null) {
            sql.append(" AND placed_at >= :placedFrom");
            params.put("placedFrom", utc(placedFrom));
        }
        if (placedBefore != null) {
            sql.append(" AND placed_at < :placedBefore");
            params.put("placedBefore", utc(placedBefore));
        }
        if (cursor != null) {
            sql.append(" AND (placed_at, order_id) < (:cursorPlacedAt, :cursorId)");
            params.put("cursorPlacedAt", utc(cursor.placedAt()));
            params.put("cursorId", cursor.id());
        }
        sql.append(" ORDER BY placed_at DESC, order_id DESC LIMIT :limit");
        params.put("limit", limit + 1);
        List<OrderPage.Summary> rows = jdbc.sql(sql.toString()).params(params)
                .query((rs, row) -> summary(read(rs.getString("record")), customerId))
                .list();
        if (rows.size() <= limit) {
            return new OrderPage(rows, null);
        }
        List<OrderPage.Summary> page = new ArrayList<>(rows.subList(0, limit));
        OrderPage.Summary last = page.getLast();
        return new OrderPage(page, new ReplicaCursor(last.placedAt(), last.id()).encode());
    }

    private OrderHistoryRecorded read(String record) {
        return json.readValue(record, OrderHistoryRecorded.class);
    }

    /** The customer id is the caller's own (the replica holds only its digest). */
    private static OrderView view(OrderHistoryRecorded record, String customerId) {
        String currency = record.total().currency();
        List<OrderView.Line> lines = record.lines().stream().map(line -> new OrderView.Line(line.productId(),
                line.sku(), line.name(), line.quantity(), new Money(line.unitPrice(), currency),
                new Money(line.lineTotal(), currency))).toList();
        // No personal data ever reaches a replica: none to show, and masked in the sense that it is withheld.
        return new OrderView(record.orderId(), customerId, OrderStatus.valueOf(record.status()), record.statusReason(),
                record.total(), lines, null, true, false, record.placedAt(), record.updatedAt());
    }

    private static OrderPage.Summary summary(OrderHistoryRecorded record, String customerId) {
        return new OrderPage.Summary(record.orderId(), customerId, OrderStatus.valueOf(record.status()),
                record.total(), record.lines().size(), record.placedAt(), record.updatedAt());
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
