package io.polystore.sync.reconciliation;

/** @param repair publish the compensating commands; absent or false: a dry run that only reports them */
public record RunReconciliationRequest(Boolean repair) {

    boolean repairs() {
        return Boolean.TRUE.equals(repair);
    }
}
