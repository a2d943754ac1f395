package io.polystore.order.access;

import io.polystore.events.PersonalDataAccessed;
import io.polystore.order.access.internal.AuditTrailClient;
import io.polystore.order.orders.Order;
import io.polystore.order.orders.OrderRepository;
import io.polystore.order.personaldata.PersonalData;
import io.polystore.order.personaldata.PersonalDataVault;
import io.polystore.order.personaldata.PersonalDataVault.Sealed;
import io.polystore.order.placement.OrderView;
import io.polystore.servicedefaults.outbox.OutboxWriter;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The right of access: one customer's orders with their personal data decrypted, and the audit trail's records about
 * them, which audit-service gives only to the customer themself or an administrator: the caller's own token is
 * relayed, so audit-service checks the caller's rights itself and trusts nothing of order-service. The export is
 * audited ({@code PersonalDataAccessed}, {@code READ}, purpose {@value #PURPOSE}) in the transaction that reads the
 * orders, so no export goes unrecorded.
 */
@Service
public class PersonalDataExport {

    static final String PURPOSE = "access-export";

    private final OrderRepository orders;
    private final PersonalDataVault vault;
    private final OutboxWriter outbox;
    private final AuditTrailClient auditTrail;
    private final TransactionTemplate transaction;
    private final Clock clock;

    PersonalDataExport(OrderRepository orders, PersonalDataVault vault, OutboxWriter outbox, AuditTrailClient auditTrail,
                       TransactionTemplate transaction, Clock clock) {
        this.orders = orders;
        this.vault = vault;
        this.outbox = outbox;
        this.auditTrail = auditTrail;
        this.transaction = transaction;
        this.clock = clock;
    }

    /**
     * @param requester   who asks: the customer themself or an administrator
     * @param bearerToken the requester's token, relayed to audit-service
     * @throws AuditTrailUnavailableException when audit-service does not answer; nothing is exported then
     */
    public CustomerDataExport export(String customerId, String requester, String bearerToken) {
        // Read first: an export that fails here has read no personal data, so it is not recorded.
        List<JsonNode> auditRecords = auditTrail.recordsAbout(customerId, bearerToken);
        return transaction.execute(status -> {
            List<OrderView> views = new ArrayList<>();
            boolean erased = false;
            for (Order order : orders.findByCustomerIdOrderByPlacedAtAscIdAsc(customerId)) {
                Optional<PersonalData> personalData = vault.open(customerId, order.id().toString(),
                        new Sealed(order.personalDataKeyId(), order.personalData()));
                erased |= personalData.isEmpty();
                views.add(OrderView.of(order, personalData.orElse(null), false));
            }
            outbox.write(new PersonalDataAccessed(requester, customerId, PersonalDataAccessed.Action.READ, PURPOSE,
                    clock.instant()));
            return new CustomerDataExport(customerId, clock.instant(), erased, views, auditRecords);
        });
    }
}
