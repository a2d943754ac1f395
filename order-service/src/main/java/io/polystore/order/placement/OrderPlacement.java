package io.polystore.order.placement;

import io.polystore.events.CustomerDigest;
import io.polystore.events.OrderPlaced;
import io.polystore.order.observability.OrderMetrics;
import io.polystore.order.orders.Order;
import io.polystore.order.orders.OrderLineItem;
import io.polystore.order.orders.OrderRepository;
import io.polystore.order.orders.OrderStatus;
import io.polystore.order.personaldata.PersonalData;
import io.polystore.order.personaldata.PersonalDataVault;
import io.polystore.order.personaldata.PersonalDataVault.Sealed;
import io.polystore.order.placement.internal.RequestFingerprint;
import io.polystore.order.pricing.PriceSnapshot;
import io.polystore.order.pricing.PriceSnapshots;
import io.polystore.order.saga.OrderPlacementSaga;
import io.polystore.servicedefaults.outbox.OutboxWriter;
import io.polystore.servicedefaults.region.RegionProperties;
import io.polystore.servicedefaults.problem.FieldProblem;
import io.polystore.servicedefaults.problem.InvalidInputException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Places and cancels orders. Placing writes the order, its lines, its sealed personal data, the saga and the outbox
 * rows ({@code OrderPlaced}, the order's masked history record, {@code ReserveStock}) in one transaction, and publishes nothing itself.
 * A request repeated with the same {@code Idempotency-Key} returns the order the first one placed.
 */
@Service
public class OrderPlacement {

    /**
     * @param personalData the personal data the order holds, which is the request's
     * @param replayed whether the order was placed by an earlier request with the same key
     */
    public record Placed(Order order, PersonalData personalData, boolean replayed) {
    }

    private final OrderRepository orders;
    private final PriceSnapshots prices;
    private final PersonalDataVault vault;
    private final OrderPlacementSaga saga;
    private final OutboxWriter outbox;
    private final OrderMetrics metrics;
    private final OrderProperties properties;
    private final TransactionTemplate transaction;
    private final JdbcClient jdbc;
    private final RegionProperties region;
    private final CustomerDigest customerDigest;
    private final Clock clock;

    OrderPlacement(OrderRepository orders, PriceSnapshots prices, PersonalDataVault vault, OrderPlacementSaga saga,
                   OutboxWriter outbox, OrderMetrics metrics, OrderProperties properties, TransactionTemplate transaction,
                   JdbcClient jdbc, RegionProperties region, CustomerDigest customerDigest, Clock clock) {
        this.orders = orders;
        this.prices = prices;
        this.vault = vault;
        this.saga = saga;
        this.outbox = outbox;
        this.metrics = metrics;
        this.properties = properties;
        this.transaction = transaction;
        this.jdbc = jdbc;
        this.region = region;
        this.customerDigest = customerDigest;
        this.clock = clock;
    }

    /**
     * @throws InvalidInputException         when a line's product has no price, is unavailable or is priced in
     *                                       another currency, or the lines break the order rules
     * @throws IdempotencyKeyReusedException when the key was used before for a different request
     */
    public Placed place(String customerId, String idempotencyKey, PlaceOrderRequest request) {
        checkLines(request.lines());
        String fingerprint = RequestFingerprint.of(request.currency(), request.lines().stream()
                .map(line -> new RequestFingerprint.Line(line.productId(), line.quantity())).toList());
        Optional<Order> earlier = placedWith(customerId, idempotencyKey);
        if (earlier.isPresent()) {
            return replay(earlier.get(), fingerprint, request);
        }
        List<OrderLineItem> lines = price(request);
        try {
            return transaction.execute(status -> new Placed(insert(customerId, idempotencyKey, fingerprint, request, lines),
                    request.personalData(), false));
        } catch (RuntimeException e) {
            if (!causedBy(e, DuplicateKeyException.class)) {
                throw e;
            }
            // A concurrent request with the same key committed first.
            return replay(placedWith(customerId, idempotencyKey).orElseThrow(() -> e), fingerprint, request);
        }
    }

    private Optional<Order> placedWith(String customerId, String idempotencyKey) {
        return jdbc.sql("SELECT id FROM customer_order WHERE customer_id = :customerId AND idempotency_key = :key")
                .param("customerId", customerId)
                .param("key", idempotencyKey)
                .query(UUID.class)
                .optional()
                .flatMap(orders::findById);
    }

    private Order insert(String customerId, String idempotencyKey, String fingerprint, PlaceOrderRequest request,
                         List<OrderLineItem> lines) {
        Instant now = clock.instant();
        UUID orderId = UUID.randomUUID();
        Sealed personalData = vault.seal(customerId, orderId.toString(), request.personalData());
        BigDecimal total = lines.stream().map(OrderLineItem::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        Order order = orders.insert(new Order(orderId, customerId, OrderStatus.PENDING, null, total, request.currency(),
                idempotencyKey, fingerprint, personalData.keyId(), personalData.ciphertext(), lines, null, now, now));
        // The masked history record goes with the event, in one statement.
        outbox.writeAll(List.of(new OrderPlaced(orderId, customerId, order.eventLines(), order.total(), now),
                order.historyRecord(region.name(), customerDigest)));
        saga.start(order);
        metrics.placed();
        return order;
    }

    private Placed replay(Order earlier, String fingerprint, PlaceOrderRequest request) {
        if (!earlier.requestFingerprint().equals(fingerprint)) {
            throw new IdempotencyKeyReusedException();
        }
        Optional<PersonalData> personalData = vault.open(earlier.customerId(), earlier.id().toString(),
                new Sealed(earlier.personalDataKeyId(), earlier.personalData()));
        // After an erasure nothing proves the requests equal, so the key cannot be reused either.
        if (personalData.isEmpty() || !personalData.get().equals(request.personalData())) {
            throw new IdempotencyKeyReusedException();
        }
        return new Placed(earlier, personalData.get(), true);
    }

    private void checkLines(List<PlaceOrderRequest.Line> lines) {
        if (lines.size() > properties.maxLines()) {
            throw new InvalidInputException("lines", "must hold at most " + properties.maxLines() + " lines, has " + lines.size());
        }
        Set<String> seen = new HashSet<>();
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!seen.add(lines.get(i).productId())) {
                problems.add(new FieldProblem("lines[" + i + "].productId", "product appears in an earlier line; order one line per product"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    /** Prices every line from the snapshot; refuses lines whose price is unknown, unavailable or in another currency. */
    private List<OrderLineItem> price(PlaceOrderRequest request) {
        List<PlaceOrderRequest.Line> lines = request.lines();
        Map<String, PriceSnapshot> snapshots = prices.find(lines.stream().map(PlaceOrderRequest.Line::productId).toList());
        List<FieldProblem> problems = new ArrayList<>();
        List<OrderLineItem> priced = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            PlaceOrderRequest.Line line = lines.get(i);
            PriceSnapshot snapshot = snapshots.get(line.productId());
            String field = "lines[" + i + "].productId";
            if (snapshot == null) {
                problems.add(new FieldProblem(field, "unknown product " + line.productId() + ": no price is known for it"));
            } else if (!snapshot.active()) {
                problems.add(new FieldProblem(field, "product " + line.productId() + " is not available"));
            } else if (!snapshot.price().currency().equals(request.currency())) {
                problems.add(new FieldProblem("currency", "must be " + snapshot.price().currency() + ", the currency of "
                        + line.productId() + "'s price"));
            } else {
                BigDecimal unitPrice = snapshot.price().amount();
                priced.add(new OrderLineItem(line.productId(), snapshot.sku(), snapshot.name(), line.quantity(), unitPrice,
                        unitPrice.multiply(BigDecimal.valueOf(line.quantity()))));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return priced;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
