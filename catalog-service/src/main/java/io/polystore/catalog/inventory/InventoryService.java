package io.polystore.catalog.inventory;

import io.polystore.catalog.internal.CatalogTransactions;
import io.polystore.catalog.internal.Keys;
import io.polystore.catalog.internal.NotFoundException;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealQl;
import io.polystore.surrealdb.SurrealStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;

/** Stock levels: adjustments and counts by catalog managers. Reservations change stock through the saga. */
@Service
public class InventoryService {

    private static final Logger log = LoggerFactory.getLogger(InventoryService.class);

    private static final String NOT_FOUND = "not-found";

    private static final SurrealQl GET = SurrealQl.of("SELECT * FROM ONLY type::record('inventory', $key);");
    private static final SurrealQl LET_EXISTING_INVENTORY = SurrealQl.of("LET $inventory = type::record('inventory', $key);")
            .then(SurrealQl.throwIf("!record::exists($inventory)", NOT_FOUND));
    private static final SurrealQl ADD_AVAILABLE = LET_EXISTING_INVENTORY.then(SurrealQl.of(
            "UPDATE ONLY $inventory SET available += $quantity, updated_at = $now RETURN AFTER;"));
    private static final SurrealQl SET_AVAILABLE = LET_EXISTING_INVENTORY.then(SurrealQl.of(
            "UPDATE ONLY $inventory SET available = $available, updated_at = $now RETURN AFTER;"));
    /** The statement of {@link #ADD_AVAILABLE} and {@link #SET_AVAILABLE} that returns the stock. */
    private static final int UPDATED = 2;

    /** A row of {@code inventory}, as the store returns it. */
    private record InventoryRow(RecordId product, long available, long reserved, long sold, long sent, long received,
                                Instant updatedAt) {

        InventoryView view() {
            return new InventoryView(Keys.of(product), available, reserved, sold, sent, received, updatedAt);
        }
    }

    private final SurrealClient surreal;
    private final CatalogTransactions transactions;
    private final Clock clock;

    InventoryService(SurrealClient surreal, CatalogTransactions transactions, Clock clock) {
        this.surreal = surreal;
        this.transactions = transactions;
        this.clock = clock;
    }

    public InventoryView get(String productId) {
        return surreal.query(GET.with("key", productId)).firstRow(0, InventoryRow.class).map(InventoryRow::view)
                .orElseThrow(() -> new NotFoundException("product", productId));
    }

    public InventoryView adjust(String productId, StockAdjustmentRequest adjustment) {
        InventoryView after = change(productId, ADD_AVAILABLE.with("quantity", adjustment.quantity()));
        log.info("Added {} units of product {} ({}); available now {}", adjustment.quantity(), productId,
                adjustment.reason(), after.available());
        return after;
    }

    public InventoryView count(String productId, StockCountRequest count) {
        InventoryView after = change(productId, SET_AVAILABLE.with("available", count.available()));
        log.info("Counted product {}: {} available ({})", productId, count.available(), count.reason());
        return after;
    }

    /** One transaction; one that met a concurrent change to the product's stock (a reservation, say) runs again. */
    private InventoryView change(String productId, SurrealQl change) {
        try {
            return transactions.run("changing the stock of product " + productId, () -> surreal
                    .query(change.with("key", productId).with("now", clock.instant()))
                    .firstRow(UPDATED, InventoryRow.class).map(InventoryRow::view)
                    .orElseThrow(() -> new NotFoundException("product", productId)));
        } catch (SurrealStatementException e) {
            if (e.thrownCode().filter(NOT_FOUND::equals).isPresent()) {
                throw new NotFoundException("product", productId);
            }
            throw e;
        }
    }
}
