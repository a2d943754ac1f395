package io.polystore.audit.chain;

/** What a record says happened; stored by name. */
public enum AuditAction {
    ACCESS_ALLOW,
    ACCESS_DENY,
    PERSONAL_DATA_READ,
    PERSONAL_DATA_CHANGE,
    PERSONAL_DATA_ERASE,
    SAGA_TRANSITION,
    FEDERATED_QUERY,
    ACCOUNT_CHANGE
}
