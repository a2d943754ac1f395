package io.polystore.catalog.internal;

import io.polystore.catalog.CatalogProperties;
import io.polystore.surrealdb.SurrealStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Runs optimistic work: read, decide, then commit in one transaction that re-checks what it read. When the check
 * fails (the transaction throws {@link #STALE}) or SurrealDB reports a retryable conflict, the whole attempt runs
 * again after a short random pause, up to {@code polystore.catalog.transaction-attempts} times.
 */
@Component
public class CatalogTransactions {

    /** What a transaction throws ({@code SurrealQl.throwIf}) when what its decision was based on changed. */
    public static final String STALE = "stale";

    private static final Logger log = LoggerFactory.getLogger(CatalogTransactions.class);

    private final int attempts;

    public CatalogTransactions(CatalogProperties properties) {
        this.attempts = properties.transactionAttempts();
    }

    public <T> T run(String what, Supplier<T> attempt) {
        for (int number = 1; ; number++) {
            try {
                return attempt.get();
            } catch (SurrealStatementException e) {
                if (!e.isRetryable() && e.thrownCode().filter(STALE::equals).isEmpty()) {
                    throw e;
                }
                if (number >= attempts) {
                    throw new IllegalStateException(what + " still met concurrent changes after " + attempts + " attempts", e);
                }
                log.debug("{}: attempt {} met a concurrent change, trying again", what, number);
                // Random pauses spread the competitors apart; they grow a little with each attempt.
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000L, 2_000_000L * Math.min(number, 10)));
            }
        }
    }
}
