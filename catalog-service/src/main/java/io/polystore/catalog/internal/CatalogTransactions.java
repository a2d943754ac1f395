package io.polystore.catalog.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * again after a short random pause, up to {@code polystore.catalog.transaction-attempts} times. Each repeat is counted
 * in {@code polystore.catalog.transaction.retries}, by reason ({@code stale} or {@code conflict}): contention made
 * visible.
 */
@Component
public class CatalogTransactions {

    /** What a transaction throws ({@code SurrealQl.throwIf}) when what its decision was based on changed. */
    public static final String STALE = "stale";

    private static final Logger log = LoggerFactory.getLogger(CatalogTransactions.class);

    private final int attempts;
    private final Counter staleRetries;
    private final Counter conflictRetries;

    public CatalogTransactions(CatalogProperties properties, MeterRegistry registry) {
        this.attempts = properties.transactionAttempts();
        this.staleRetries = retries(registry, STALE);
        this.conflictRetries = retries(registry, "conflict");
    }

    public <T> T run(String what, Supplier<T> attempt) {
        for (int number = 1; ; number++) {
            try {
                return attempt.get();
            } catch (SurrealStatementException e) {
                boolean stale = e.thrownCode().filter(STALE::equals).isPresent();
                if (!e.isRetryable() && !stale) {
                    throw e;
                }
                if (number >= attempts) {
                    throw new IllegalStateException(what + " still met concurrent changes after " + attempts + " attempts", e);
                }
                log.debug("{}: attempt {} met a concurrent change, trying again", what, number);
                (stale ? staleRetries : conflictRetries).increment();
                // Random pauses spread the competitors apart; they grow a little with each attempt.
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000L, 2_000_000L * Math.min(number, 10)));
            }
        }
    }

    private static Counter retries(MeterRegistry registry, String reason) {
        return Counter.builder("polystore.catalog.transaction.retries")
                .description("Catalog transactions run again because what they read changed or SurrealDB reported a conflict")
                .tag("reason", reason).register(registry);
    }
}
