package io.polystore.catalog.internal;

import io.polystore.catalog.CatalogProperties;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealQl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * Deletes outbox rows older than {@code polystore.catalog.outbox.retention}, hourly. The change feed that
 * sync-service reads keeps its own copy of every row for seven days; the deletions appear in it as {@code delete}
 * changes, which the reader skips.
 */
@Component
class SurrealOutboxCleanup {

    private static final Logger log = LoggerFactory.getLogger(SurrealOutboxCleanup.class);
    private static final SurrealQl DELETE_OLD_ROWS = SurrealQl.of("DELETE outbox WHERE occurred_at < $cutoff;");

    private final SurrealClient surreal;
    private final SurrealOutboxWriter outbox;
    private final CatalogProperties properties;
    private final Clock clock;

    SurrealOutboxCleanup(SurrealClient surreal, SurrealOutboxWriter outbox, CatalogProperties properties, Clock clock) {
        this.surreal = surreal;
        this.outbox = outbox;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    void deleteOldRows() {
        try {
            surreal.query(SurrealQl.of("USE DB `" + outbox.database() + "`;").then(DELETE_OLD_ROWS)
                    .with("cutoff", clock.instant().minus(properties.outbox().retention()))).requireSuccess();
        } catch (RuntimeException e) {
            log.warn("Deleting old outbox rows failed; the next run tries again", e);
        }
    }
}
