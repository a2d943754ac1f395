package io.polystore.servicedefaults.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints one clear paragraph instead of a stack trace when a store is down at start-up. */
class StoreUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<StoreUnreachableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StoreUnreachableException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Start " + cause.store() + " at " + cause.address() + ", or point the service at the right address "
                        + "(see the service's README for the property).", cause);
    }
}
