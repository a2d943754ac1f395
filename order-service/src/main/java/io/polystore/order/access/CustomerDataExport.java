package io.polystore.order.access;

import io.polystore.order.placement.OrderView;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * Everything Polystore holds about one customer (GDPR Art. 15), as one machine-readable JSON document (Art. 20).
 *
 * @param orders             every order of the customer, oldest first, with their personal data decrypted, or with
 *                           {@code personalData: null, personalDataErased: true} where it was erased
 * @param auditRecords       the audit trail's records in which the customer acted or which concern them, oldest
 *                           first, as audit-service gives them to the customer (others who acted without their identity)
 * @param personalDataErased whether any order's personal data can no longer be read because it was erased
 */
public record CustomerDataExport(String customerId, Instant exportedAt, boolean personalDataErased,
                                 List<OrderView> orders, List<JsonNode> auditRecords) {
}
