package io.polystore.order.placement;

import io.polystore.events.Money;
import io.polystore.events.PersonalDataAccessed;
import io.polystore.order.orders.Order;
import io.polystore.order.orders.OrderRepository;
import io.polystore.order.orders.OrderStatus;
import io.polystore.order.personaldata.PersonalData;
import io.polystore.order.personaldata.PersonalDataVault;
import io.polystore.order.personaldata.PersonalDataVault.Sealed;
import io.polystore.order.placement.internal.PageCursor;
import io.polystore.order.saga.OrderPlacementSaga;
import io.polystore.order.saga.SagaTransition;
import io.polystore.servicedefaults.outbox.OutboxWriter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads orders under the object-level rules: customers see their own orders only, order managers and administrators
 * every order, auditors every order with personal data masked. An order the caller may not see does not exist
 * for them. Every read of unmasked personal data writes a {@code PersonalDataAccessed} audit event to the outbox,
 * in the reading transaction, so that no such read goes unrecorded.
 */
@Service
public class OrderQueries {

    static final String READ_PURPOSE = "order-view";

    /** Filters of a listing; null fields do not filter. */
    public record Filter(String customerId, List<OrderStatus> statuses, Instant placedFrom, Instant placedBefore) {
    }

    private final OrderRepository orders;
    private final PersonalDataVault vault;
    private final OrderPlacementSaga saga;
    private final OutboxWriter outbox;
    private final JdbcClient jdbc;
    private final Clock clock;

    OrderQueries(OrderRepository orders, PersonalDataVault vault, OrderPlacementSaga saga, OutboxWriter outbox,
                 JdbcClient jdbc, Clock clock) {
        this.orders = orders;
        this.vault = vault;
        this.saga = saga;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public OrderView view(UUID orderId, Caller caller) {
        Order order = visibleOrder(orderId, caller);
        boolean mayUnmask = order.belongsTo(caller.subject()) || caller.managesOrders();
        Optional<PersonalData> personalData = vault.open(order.customerId(), order.id().toString(),
                new Sealed(order.personalDataKeyId(), order.personalData()));
        if (personalData.isPresent() && mayUnmask) {
            outbox.write(new PersonalDataAccessed(caller.subject(), order.customerId(), PersonalDataAccessed.Action.READ,
                    READ_PURPOSE, clock.instant()));
        }
        return OrderView.of(order, personalData.map(data -> mayUnmask ? data : data.masked()).orElse(null), !mayUnmask);
    }

    public List<SagaTransition> history(UUID orderId, Caller caller) {
        visibleOrder(orderId, caller);
        return saga.history(orderId);
    }

    /** The order if the caller may see it. @throws OrderNotFoundException otherwise, as if it did not exist */
    Order visibleOrder(UUID orderId, Caller caller) {
        return orders.findById(orderId)
                .filter(order -> order.belongsTo(caller.subject()) || caller.managesOrders() || caller.audits())
                .orElseThrow(() -> new OrderNotFoundException(orderId));
    }

    /** A page of orders, newest first, after {@code cursor} (null for the first page). */
    public OrderPage list(Filter filter, PageCursor cursor, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT o.id, o.customer_id, o.status, o.total_amount, o.currency, o.placed_at, o.updated_at,
                       (SELECT count(*) FROM order_line l WHERE l.order_id = o.id) AS line_count
                FROM customer_order o WHERE true""");
        Map<String, Object> params = new HashMap<>();
        if (filter.customerId() != null) {
            sql.append(" AND o.customer_id = :customerId");
            params.put("customerId", filter.customerId());
        }
        if (filter.statuses() != null && !filter.statuses().isEmpty()) {
            sql.append(" AND o.status IN (:statuses)");
            params.put("statuses", filter.statuses().stream().map(Enum::name).toList());
        }
        if (filter.placedFrom() != null) {
            sql.append(" AND o.placed_at >= :placedFrom");
            params.put("placedFrom", utc(filter.placedFrom()));
        }
        if (filter.placedBefore() != null) {
            sql.append(" AND o.placed_at < :placedBefore");
            params.put("placedBefore", utc(filter.placedBefore()));
        }
        if (cursor != null) {
            sql.append(" AND (o.placed_at, o.id) < (:cursorPlacedAt, :cursorId)");
            params.put("cursorPlacedAt", utc(cursor.placedAt()));
            params.put("cursorId", cursor.id());
        }
        sql.append(" ORDER BY o.placed_at DESC, o.id DESC LIMIT :limit");
        params.put("limit", limit + 1);
        List<OrderPage.Summary> rows = jdbc.sql(sql.toString()).params(params)
                .query((rs, row) -> new OrderPage.Summary(rs.getObject("id", UUID.class), rs.getString("customer_id"),
                        OrderStatus.valueOf(rs.getString("status")),
                        new Money(rs.getBigDecimal("total_amount"), rs.getString("currency")), rs.getInt("line_count"),
                        rs.getTimestamp("placed_at").toInstant(), rs.getTimestamp("updated_at").toInstant()))
                .list();
        if (rows.size() <= limit) {
            return new OrderPage(rows, null);
        }
        List<OrderPage.Summary> page = new ArrayList<>(rows.subList(0, limit));
        OrderPage.Summary last = page.getLast();
        return new OrderPage(page, new PageCursor(last.placedAt(), last.id()).encode());
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
