package io.polystore.audit.ingest;

import io.polystore.audit.chain.AuditEntry;
import io.polystore.events.AccessDecided;
import io.polystore.events.AccountChanged;
import io.polystore.events.EventEnvelope;
import io.polystore.events.FederatedQueryRan;
import io.polystore.events.OrderCancelled;
import io.polystore.events.PersonalDataAccessed;
import io.polystore.events.SagaTransitioned;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditEntriesTest {

    private static final Instant AT = Instant.parse("2026-04-01T08:30:00Z");

    @Test
    void anAccessDecisionKeepsWhoAndWhereApartFromTheDetails() {
        AuditEntry entry = AuditEntries.from(envelope("e-1", new AccessDecided("alice", "web", "POST", "orders", 403,
                AccessDecided.Decision.DENY, 900, "198.51.100.4", AT)));

        assertThat(entry.action()).isEqualTo("ACCESS_DENY");
        assertThat(entry.actor()).isEqualTo("alice");
        assertThat(entry.subject()).isEqualTo("alice");
        assertThat(entry.clientAddress()).isEqualTo("198.51.100.4");
        assertThat(entry.details()).containsOnlyKeys("clientId", "method", "route", "status", "decision", "latencyMicros")
                .doesNotContainValue("alice").doesNotContainValue("198.51.100.4");
        assertThat(entry.occurredAt()).isEqualTo(AT);
    }

    @Test
    void aPersonalDataAccessConcernsTheCustomer() {
        AuditEntry entry = AuditEntries.from(envelope("e-2", new PersonalDataAccessed("clerk", "bob",
                PersonalDataAccessed.Action.ERASE, "gdpr-request-17", AT)));

        assertThat(entry.action()).isEqualTo("PERSONAL_DATA_ERASE");
        assertThat(entry.actor()).isEqualTo("clerk");
        assertThat(entry.subject()).isEqualTo("bob");
        assertThat(entry.details()).containsEntry("purpose", "gdpr-request-17").doesNotContainValue("bob");
    }

    @Test
    void aSagaTransitionHasNoPersonAsActor() {
        UUID order = UUID.randomUUID();
        AuditEntry entry = AuditEntries.from(envelope("e-3", new SagaTransitioned(order, null, "PENDING", "OrderPlaced", AT)));

        assertThat(entry.action()).isEqualTo("SAGA_TRANSITION");
        assertThat(entry.actor()).isNull();
        assertThat(entry.subject()).isEqualTo(order.toString());
        assertThat(entry.details()).containsEntry("to", "PENDING").containsEntry("from", null);
    }

    @Test
    void aFederatedQueryKeepsItsTextAndOutcomeAndItsCallerAsActor() {
        AuditEntry entry = AuditEntries.from(envelope("e-5", new FederatedQueryRan("q-1", "auditor-1",
                "SELECT id FROM orders.customer_order", FederatedQueryRan.Outcome.LIMIT_EXCEEDED, 0, 10_001L, AT)));

        assertThat(entry.action()).isEqualTo("FEDERATED_QUERY");
        assertThat(entry.actor()).isEqualTo("auditor-1");
        assertThat(entry.subject()).isEqualTo("q-1");
        assertThat(entry.details()).containsEntry("sql", "SELECT id FROM orders.customer_order")
                .containsEntry("outcome", "LIMIT_EXCEEDED").containsEntry("rowCount", 0)
                .containsEntry("durationMillis", 10_001L).doesNotContainValue("auditor-1");
    }

    @Test
    void anAccountChangeNamesWhoChangedWhichAccount() {
        AuditEntry entry = AuditEntries.from(envelope("e-6", new AccountChanged("adam", "bob",
                AccountChanged.Change.ROLE_GRANTED, "CATALOG_MANAGER", List.of("CATALOG_MANAGER", "CUSTOMER"), AT)));

        assertThat(entry.action()).isEqualTo("ACCOUNT_CHANGE");
        assertThat(entry.actor()).isEqualTo("adam");
        assertThat(entry.subject()).isEqualTo("bob");
        assertThat(entry.details()).containsEntry("change", "ROLE_GRANTED").containsEntry("role", "CATALOG_MANAGER")
                .containsEntry("roles", List.of("CATALOG_MANAGER", "CUSTOMER"))
                .doesNotContainValue("adam").doesNotContainValue("bob");
    }

    @Test
    void refusesWhatIsNoAuditEvent() {
        assertThatThrownBy(() -> AuditEntries.from(envelope("e-4", new OrderCancelled(UUID.randomUUID(), AT))))
                .isInstanceOf(UnacceptableAuditEventException.class)
                .hasMessageContaining("io.polystore.order.OrderCancelled is not an audit event");
    }

    @Test
    void refusesWhatPostgresqlCouldNotStore() {
        PersonalDataAccessed read = new PersonalDataAccessed("clerk", "bob", PersonalDataAccessed.Action.READ, "x", AT);
        PersonalDataAccessed farFuture = new PersonalDataAccessed("clerk", "bob", PersonalDataAccessed.Action.READ, "x",
                Instant.parse("+12026-01-01T00:00:00Z"));

        assertThatThrownBy(() -> AuditEntries.from(envelope("e\u0000", read)))
                .isInstanceOf(UnacceptableAuditEventException.class).hasMessageContaining("NUL");
        assertThatThrownBy(() -> AuditEntries.from(envelope("e".repeat(257), read)))
                .isInstanceOf(UnacceptableAuditEventException.class).hasMessageContaining("longer than 256");
        assertThatThrownBy(() -> AuditEntries.from(envelope("e-5", farFuture)))
                .isInstanceOf(UnacceptableAuditEventException.class).hasMessageContaining("years 1 to 9999");
    }

    private static EventEnvelope envelope(String id, io.polystore.events.PolystoreEvent event) {
        return new EventEnvelope(id, URI.create("/gateway"), AT, null, event);
    }
}
