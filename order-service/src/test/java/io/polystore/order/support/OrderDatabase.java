package io.polystore.order.support;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** What the order service wrote, read straight from its tables. */
@TestComponent
public class OrderDatabase {

    /** An outbox row: its routing columns and its payload. */
    public record OutboxRow(String topic, String key, String type, JsonNode payload) {
    }

    private final JdbcClient jdbc;

    OrderDatabase(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The outbox rows about one aggregate, in the order they were written. */
    public List<OutboxRow> outbox(String aggregateId) {
        return jdbc.sql("SELECT aggregatetype, aggregateid, type, payload::text AS payload FROM outbox_event"
                        + " WHERE aggregateid = :id ORDER BY created_at, wal_lsn")
                .param("id", aggregateId)
                .query((rs, row) -> new OutboxRow(rs.getString("aggregatetype"), rs.getString("aggregateid"),
                        rs.getString("type"), OrderApi.JSON.readTree(rs.getString("payload"))))
                .list();
    }

    public List<String> outboxTypes(String aggregateId) {
        return outbox(aggregateId).stream().map(OutboxRow::type).toList();
    }

    public String sagaState(UUID orderId) {
        return jdbc.sql("SELECT state FROM order_saga WHERE order_id = :id").param("id", orderId).query(String.class).single();
    }

    public String orderStatus(UUID orderId) {
        return jdbc.sql("SELECT status FROM customer_order WHERE id = :id").param("id", orderId).query(String.class).single();
    }

    /** Outbox rows of this event type. */
    public long outboxCount(String type) {
        return jdbc.sql("SELECT count(*) FROM outbox_event WHERE type = :type").param("type", type).query(Long.class).single();
    }

    public long count(String table) {
        // Test code: the table names are constants of the tests.
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    /** Whether the order service's inbox has the event, i.e. it was applied. */
    public boolean processed(String eventId) {
        return jdbc.sql("SELECT count(*) FROM processed_event WHERE event_id = :id").param("id", eventId)
                .query(Long.class).single() == 1;
    }

    /** Moves when these sagas started back by {@code seconds}, as if the catalog had not answered them for that long. */
    public int startedEarlier(List<UUID> orderIds, long seconds) {
        return jdbc.sql("UPDATE order_saga SET started_at = started_at - make_interval(secs => :seconds) WHERE order_id IN (:ids)")
                .param("seconds", seconds)
                .param("ids", orderIds)
                .update();
    }

    /** Moves the saga's deadline an hour later, so that it waits however slowly a test goes on. */
    public void postponeDeadline(UUID orderId) {
        jdbc.sql("UPDATE order_saga SET deadline = deadline + interval '1 hour' WHERE order_id = :id AND deadline IS NOT NULL")
                .param("id", orderId).update();
    }

    /** Makes the order look placed a day ago, past any business deadline, and its saga's deadline due. */
    public void passBusinessDeadline(UUID orderId) {
        passBusinessDeadline(orderId, Duration.ofSeconds(-1));
    }

    /** The same, with the saga's deadline due in {@code dueIn} (negative: past already). */
    public void passBusinessDeadline(UUID orderId, Duration dueIn) {
        jdbc.sql("UPDATE order_saga SET started_at = now() - interval '1 day', deadline = now() + make_interval(secs => :due)"
                        + " WHERE order_id = :id AND deadline IS NOT NULL")
                .param("id", orderId).param("due", dueIn.toMillis() / 1000.0).update();
    }

    /** Moves the saga's deadline into the past, as if its step had waited too long. */
    public void expireDeadline(UUID orderId) {
        jdbc.sql("UPDATE order_saga SET deadline = now() - interval '1 second' WHERE order_id = :id AND deadline IS NOT NULL")
                .param("id", orderId).update();
    }
}
