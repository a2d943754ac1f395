package io.polystore.order.access;

/** audit-service could not give the records about a customer, so no partial export is given either. */
public class AuditTrailUnavailableException extends RuntimeException {

    public AuditTrailUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
