package io.polystore.surrealdb.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** One clear paragraph instead of a stack trace when SurrealDB is down at start-up. */
class SurrealDbUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<SurrealDbUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SurrealDbUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Start SurrealDB at " + cause.url() + ", or point the service at it with polystore.surrealdb.url "
                        + "(and polystore.surrealdb.username/password).", cause);
    }
}
