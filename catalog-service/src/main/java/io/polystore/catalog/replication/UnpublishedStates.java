package io.polystore.catalog.replication;

import io.polystore.catalog.category.CategoryTree;
import io.polystore.catalog.product.ProductCatalog;
import io.polystore.servicedefaults.region.RegionProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.function.IntUnaryOperator;

/**
 * In the catalog region, once started: publishes the state of every product, category and related pair that has none
 * on the replication topic yet, those made before the catalog was replicated between regions, so that the topic holds
 * the whole catalog for a region that joins. Each in a transaction of its own that records its replication version,
 * so that a state is published once, also by several instances starting together; after that it finds nothing.
 */
@Component
class UnpublishedStates {

    private static final Logger log = LoggerFactory.getLogger(UnpublishedStates.class);
    private static final int BATCH = 200;

    private final RegionProperties region;
    private final ProductCatalog products;
    private final CategoryTree categories;

    UnpublishedStates(RegionProperties region, ProductCatalog products, CategoryTree categories) {
        this.region = region;
        this.products = products;
        this.categories = categories;
    }

    @EventListener(ApplicationReadyEvent.class)
    void publish() {
        if (!region.writesCatalog()) {
            return;
        }
        try {
            int published = all(categories::publishUnpublishedStates) + all(products::publishUnpublishedStates);
            if (published > 0) {
                log.info("Published the state of {} catalog records made before the catalog was replicated", published);
            }
        } catch (RuntimeException e) {
            // The service works without; the next start tries again.
            log.warn("Could not publish the state of catalog records made before the catalog was replicated", e);
        }
    }

    /** Batch after batch, until one publishes nothing (all published, or what is left changed meanwhile). */
    private static int all(IntUnaryOperator batch) {
        int total = 0;
        for (int published = batch.applyAsInt(BATCH); published > 0; published = batch.applyAsInt(BATCH)) {
            total += published;
        }
        return total;
    }
}
