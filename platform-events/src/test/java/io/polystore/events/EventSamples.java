package io.polystore.events;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One valid instance of every event type, with values that stress the wire format. */
public final class EventSamples {

    public static final UUID ORDER_ID = UUID.fromString("5b0c1a52-7c1e-4d0b-9a43-0c9d5f3b6e21");
    public static final Instant TIME = Instant.parse("2026-03-01T10:15:30.123456789Z");
    public static final List<OrderLine> LINES =
            List.of(new OrderLine("product:keyboard", 2), new OrderLine("product:mouse", 1));

    private EventSamples() {
    }

    public static List<PolystoreEvent> all() {
        return List.of(
                new OrderPlaced(ORDER_ID, "customer-7", LINES, new Money(new BigDecimal("129.90"), "EUR"), TIME),
                new OrderConfirmed(ORDER_ID, "customer-7", LINES, TIME),
                new OrderRejected(ORDER_ID, "stock rejected", TIME),
                new OrderCancelled(ORDER_ID, TIME),
                new OrderHistoryRecorded(ORDER_ID, "region-1", new CustomerDigest(new byte[32]).of("customer-7"), 2,
                        "CONFIRMED", null, new Money(new BigDecimal("129.90"), "EUR"), List.of(
                        new OrderHistoryRecorded.Line("product:keyboard", "KB-001", "Keyboard \"Ünicode\" ⌨", 2,
                                new BigDecimal("59.95"), new BigDecimal("119.90")),
                        new OrderHistoryRecorded.Line("product:mouse", "MS-001", "Mouse", 1, new BigDecimal("10.00"),
                                new BigDecimal("10.00"))), TIME.minusSeconds(60), TIME),
                new ReserveStock(ORDER_ID, LINES, TIME),
                new ReleaseStock(ORDER_ID, "saga deadline passed"),
                new StockReserved(ORDER_ID, "reservation:r1", LINES, TIME),
                new StockRejected(ORDER_ID, List.of(
                        new StockRejected.Rejection("product:keyboard", 2, 1, StockRejected.Reason.INSUFFICIENT_STOCK),
                        new StockRejected.Rejection("product:gone", 1, 0, StockRejected.Reason.UNKNOWN_PRODUCT))),
                new StockReleased(ORDER_ID, "reservation:r1"),
                new ProductChanged("product:keyboard", "KB-001", "Keyboard \"Ünicode\" ⌨",
                        new Money(new BigDecimal("10.00"), "EUR"), true, 42L, TIME),
                new ProductState("keyboard", 3, false, "KB-001", "Keyboard \"Ünicode\" ⌨", "",
                        new Money(new BigDecimal("10.00"), "EUR"), attributes(), List.of("peripherals", "input"), true,
                        TIME.minusSeconds(3600), TIME),
                new CategoryState("keyboards", 2, false, "Keyboards ⌨", "input", List.of("peripherals", "input"),
                        TIME.minusSeconds(60), TIME),
                new RelatedProductsState("keyboard", "mouse", 1, true, TIME),
                new StockTransferred("t1", "keyboard", "region-1", "region-2", 5, TIME),
                new StockRequested("r1", "keyboard", "region-2", "region-1", 3, TIME),
                new AccessDecided("customer-7", "web-shop", "GET", "orders", 403, AccessDecided.Decision.DENY,
                        1250L, "203.0.113.9", TIME),
                new PersonalDataAccessed("support-3", "customer-7", PersonalDataAccessed.Action.READ,
                        "support-ticket-4711", TIME),
                new SagaTransitioned(ORDER_ID, null, "AWAITING_STOCK", "order placed", TIME),
                new FederatedQueryRan("5d1f3a7e-95c4-4c8b-a0f2-1b6f0e2d9c44", "auditor-1",
                        "SELECT \"name\", 'Ünicode' FROM catalog.product WHERE sku = 'KB-001'",
                        FederatedQueryRan.Outcome.SUCCEEDED, 1, 12L, TIME),
                new AccountChanged("admin-1", "customer-7", AccountChanged.Change.ROLE_GRANTED, "CATALOG_MANAGER",
                        List.of("CATALOG_MANAGER", "CUSTOMER"), TIME),
                new RegionAnnounced("region-3", "http://localhost:8280", TIME));
    }

    /** Attributes as a manager may send them: nested, with null, decimals, a list. */
    public static Map<String, Object> attributes() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("layout", "ISO-DE");
        nested.put("weight", new BigDecimal("0.85"));
        nested.put("discontinued", null);
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("keys", 105);
        attributes.put("spec", nested);
        attributes.put("colours", List.of("black", "white"));
        return attributes;
    }

    public static EventEnvelope envelope(PolystoreEvent event) {
        return new EventEnvelope("0d9f6a8e-2f4b-4c1e-8f0a-3b7d2c1e9a55", URI.create("/order-service"), TIME,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", event);
    }
}
