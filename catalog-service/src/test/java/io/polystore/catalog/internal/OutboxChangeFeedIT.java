package io.polystore.catalog.internal;

import io.polystore.catalog.CatalogProperties;
import io.polystore.catalog.product.CreateProductRequest;
import io.polystore.catalog.product.PriceRequest;
import io.polystore.catalog.product.ProductCatalog;
import io.polystore.catalog.support.CatalogIntegrationTest;
import io.polystore.catalog.support.OutboxReader;
import io.polystore.events.EventCodec;
import io.polystore.events.ProductChanged;
import io.polystore.surrealdb.SurrealClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox as sync-service reads it: the change feed of a database that holds nothing but the outbox. */
@CatalogIntegrationTest
class OutboxChangeFeedIT {

    @Autowired
    SurrealClient surreal;
    @Autowired
    CatalogProperties properties;
    @Autowired
    ProductCatalog products;

    @Test
    @SuppressWarnings("unchecked")
    void everyCommittedEventAppearsOnceInTheChangeFeedInCommitOrder() {
        OutboxReader outbox = new OutboxReader(surreal, properties);
        long since = latestVersionstamp(outbox) + 1;
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(products.create(new CreateProductRequest("SKU-" + UUID.randomUUID(), "Fed " + i, null,
                    new PriceRequest(new BigDecimal("1.50"), "EUR"), null, null, true, 0)).id());
        }

        // Pages of two entries: each page is full of outbox changes, as no other table of its database has a feed.
        List<ProductChanged> read = new ArrayList<>();
        long cursor = since;
        for (int page = 0; page < 10; page++) {
            List<Map<String, Object>> entries = outbox.changesSince(cursor, 2);
            if (entries.isEmpty()) {
                break;
            }
            for (Map<String, Object> entry : entries) {
                for (Map<String, Object> change : (List<Map<String, Object>>) entry.get("changes")) {
                    Map<String, Object> row = (Map<String, Object>) change.get("update");
                    // Each create also writes the product's state for other regions (ProductState), in the same entry.
                    if (row != null && new EventCodec().fromStructuredJson(((String) row.get("payload"))
                            .getBytes(StandardCharsets.UTF_8)).data() instanceof ProductChanged changed) {
                        read.add(changed);
                    }
                }
                cursor = ((Number) entry.get("versionstamp")).longValue() + 1;
            }
        }

        assertThat(read).extracting(ProductChanged::productId).containsSubsequence(created);
        assertThat(read.stream().filter(e -> created.contains(e.productId()))).hasSize(5)
                .allSatisfy(e -> assertThat(e.price().amount()).isEqualTo(new BigDecimal("1.50")));
        Object tables = surreal.query("USE DB `" + properties.outbox().database() + "`; INFO FOR DB").rows(1)
                .getFirst().get("tables");
        assertThat(((Map<String, Object>) tables).keySet()).containsExactly("outbox");
    }

    @SuppressWarnings("unchecked")
    private static long latestVersionstamp(OutboxReader outbox) {
        long latest = 0;
        List<Map<String, Object>> entries;
        do {
            entries = outbox.changesSince(latest, 1000);
            for (Map<String, Object> entry : entries) {
                latest = Math.max(latest, ((Number) entry.get("versionstamp")).longValue() + 1);
            }
        } while (entries.size() == 1000);
        return latest;
    }
}
