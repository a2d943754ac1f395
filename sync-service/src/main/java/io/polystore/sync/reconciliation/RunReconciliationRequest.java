package io.polystore.sync.reconciliation;

import org.jspecify.annotations.Nullable;

/** @param repair publish the compensating commands; absent or false: a dry run that only reports them */
public record RunReconciliationRequest(@Nullable Boolean repair) {

    boolean repairs() {
        return Boolean.TRUE.equals(repair);
    }
}
