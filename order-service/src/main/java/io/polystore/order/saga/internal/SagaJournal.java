package io.polystore.order.saga.internal;

import io.polystore.order.saga.OverdueSagas;
import io.polystore.order.saga.SagaState;
import io.polystore.order.saga.SagaTransition;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The saga tables beyond the aggregate: the history, the inbox, due deadlines and counts per state. */
@Repository
public class SagaJournal {

    private final JdbcClient jdbc;

    SagaJournal(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void append(UUID orderId, SagaTransition transition) {
        jdbc.sql("INSERT INTO saga_transition (order_id, from_state, to_state, reason, occurred_at)"
                        + " VALUES (:orderId, :from, :to, :reason, :occurredAt)")
                .param("orderId", orderId)
                .param("from", transition.from() == null ? null : transition.from().name())
                .param("to", transition.to().name())
                .param("reason", transition.reason())
                .param("occurredAt", OffsetDateTime.ofInstant(transition.occurredAt(), ZoneOffset.UTC))
                .update();
    }

    public List<SagaTransition> history(UUID orderId) {
        return jdbc.sql("SELECT from_state, to_state, reason, occurred_at FROM saga_transition WHERE order_id = :orderId ORDER BY id")
                .param("orderId", orderId)
                .query((rs, row) -> new SagaTransition(
                        rs.getString("from_state") == null ? null : SagaState.valueOf(rs.getString("from_state")),
                        SagaState.valueOf(rs.getString("to_state")), rs.getString("reason"),
                        rs.getTimestamp("occurred_at").toInstant()))
                .list();
    }

    /** Records that an event was applied; false when it had been already (a redelivery). */
    public boolean firstDelivery(String eventId, String type, Instant now) {
        return jdbc.sql("INSERT INTO processed_event (event_id, type, processed_at) VALUES (:id, :type, :now)"
                        + " ON CONFLICT (event_id) DO NOTHING")
                .param("id", eventId)
                .param("type", type)
                .param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .update() == 1;
    }

    /** One saga past its deadline that no other transaction holds, locked by this one. */
    public Optional<UUID> lockNextDue(Instant now) {
        return jdbc.sql("SELECT order_id FROM order_saga WHERE deadline <= :now ORDER BY deadline LIMIT 1"
                        + " FOR UPDATE SKIP LOCKED")
                .param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .query(UUID.class)
                .optional();
    }

    /** How many sagas have been waiting for the catalog's stock reply since before {@code cutoff}. */
    public long awaitingStockSince(Instant cutoff) {
        return jdbc.sql("SELECT count(*) FROM order_saga WHERE state = 'AWAITING_STOCK' AND started_at < :cutoff")
                .param("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
                .query(Long.class).single();
    }

    public OverdueSagas overdue(Instant now) {
        return jdbc.sql("SELECT count(*) AS sagas, min(deadline) AS earliest FROM order_saga WHERE deadline <= :now")
                .param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .query((rs, row) -> new OverdueSagas(rs.getLong("sagas"),
                        rs.getTimestamp("earliest") == null ? null : rs.getTimestamp("earliest").toInstant()))
                .single();
    }

    public Map<SagaState, Long> countByState() {
        Map<SagaState, Long> counts = new EnumMap<>(SagaState.class);
        for (SagaState state : SagaState.values()) {
            counts.put(state, 0L);
        }
        jdbc.sql("SELECT state, count(*) AS sagas FROM order_saga GROUP BY state")
                .query(rs -> {
                    counts.put(SagaState.valueOf(rs.getString("state")), rs.getLong("sagas"));
                });
        return counts;
    }
}
