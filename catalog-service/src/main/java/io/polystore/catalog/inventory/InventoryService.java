package io.polystore.catalog.inventory;

import io.polystore.catalog.internal.NotFoundException;
import io.polystore.catalog.internal.Rows;
import io.polystore.catalog.internal.ThrownCode;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Stock levels: adjustments and counts by catalog managers. Reservations change stock through the saga. */
@Service
public class InventoryService {

    private static final Logger log = LoggerFactory.getLogger(InventoryService.class);

    private static final String CHANGE = """
            LET $inventory = type::record('inventory', $key);
            IF !record::exists($inventory) { %s };
            UPDATE ONLY $inventory SET %%s, updated_at = $now RETURN AFTER;
            """.formatted(ThrownCode.throwing("not-found"));

    private final SurrealClient surreal;
    private final Clock clock;

    InventoryService(SurrealClient surreal, Clock clock) {
        this.surreal = surreal;
        this.clock = clock;
    }

    public InventoryView get(String productId) {
        return surreal.query("SELECT * FROM ONLY type::record('inventory', $key)", Map.of("key", productId))
                .firstRow(0).map(InventoryService::view)
                .orElseThrow(() -> new NotFoundException("product", productId));
    }

    public InventoryView adjust(String productId, StockAdjustmentRequest adjustment) {
        InventoryView after = change(productId, "available += $quantity", Map.of("quantity", adjustment.quantity()));
        log.info("Added {} units of product {} ({}); available now {}", adjustment.quantity(), productId,
                adjustment.reason(), after.available());
        return after;
    }

    public InventoryView count(String productId, StockCountRequest count) {
        InventoryView after = change(productId, "available = $available", Map.of("available", count.available()));
        log.info("Counted product {}: {} available ({})", productId, count.available(), count.reason());
        return after;
    }

    private InventoryView change(String productId, String assignment, Map<String, Object> values) {
        Map<String, Object> vars = new HashMap<>(values);
        vars.put("key", productId);
        vars.put("now", clock.instant());
        try {
            return surreal.query(CHANGE.formatted(assignment), vars).firstRow(2).map(InventoryService::view)
                    .orElseThrow(() -> new NotFoundException("product", productId));
        } catch (SurrealStatementException e) {
            if (ThrownCode.of(e).filter("not-found"::equals).isPresent()) {
                throw new NotFoundException("product", productId);
            }
            throw e;
        }
    }

    static InventoryView view(Map<String, Object> row) {
        return new InventoryView(Rows.key(row, "product"), Rows.number(row, "available"), Rows.number(row, "reserved"),
                Rows.number(row, "sold"), Rows.instant(row, "updated_at"));
    }
}
