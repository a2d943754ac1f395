package io.polystore.order.pricing;

import io.polystore.events.Money;
import io.polystore.events.ProductChanged;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The order service's own copy of catalog prices, fed by {@link ProductChanged} events, so that pricing an order
 * never calls the catalog. Applying an announcement is idempotent and tolerates reordering: an older product
 * version never overwrites a newer one.
 */
@Service
public class PriceSnapshots {

    private final JdbcClient jdbc;
    private final Clock clock;

    PriceSnapshots(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records the product's state unless a newer version is already held; returns whether it changed anything. */
    public boolean apply(ProductChanged changed) {
        return jdbc.sql("""
                        INSERT INTO price_snapshot (product_id, sku, name, price_amount, currency, active, product_version,
                                                    changed_at, received_at)
                        VALUES (:productId, :sku, :name, :amount, :currency, :active, :version, :changedAt, :receivedAt)
                        ON CONFLICT (product_id) DO UPDATE SET sku = excluded.sku, name = excluded.name,
                            price_amount = excluded.price_amount, currency = excluded.currency, active = excluded.active,
                            product_version = excluded.product_version, changed_at = excluded.changed_at,
                            received_at = excluded.received_at
                        WHERE price_snapshot.product_version < excluded.product_version""")
                .param("productId", changed.productId())
                .param("sku", changed.sku())
                .param("name", changed.name())
                .param("amount", changed.price().amount())
                .param("currency", changed.price().currency())
                .param("active", changed.active())
                .param("version", changed.version())
                .param("changedAt", OffsetDateTime.ofInstant(changed.changedAt(), ZoneOffset.UTC))
                .param("receivedAt", OffsetDateTime.now(clock))
                .update() > 0;
    }

    /** The snapshots held for these products, by product id; products without one are absent. */
    public Map<String, PriceSnapshot> find(Collection<String> productIds) {
        if (productIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("""
                        SELECT product_id, sku, name, price_amount, currency, active, product_version
                        FROM price_snapshot WHERE product_id IN (:productIds)""")
                .param("productIds", productIds)
                .query((rs, row) -> new PriceSnapshot(rs.getString("product_id"), rs.getString("sku"), rs.getString("name"),
                        new Money(rs.getBigDecimal("price_amount"), rs.getString("currency")), rs.getBoolean("active"),
                        rs.getLong("product_version")))
                .list().stream()
                .collect(Collectors.toMap(PriceSnapshot::productId, Function.identity()));
    }
}
