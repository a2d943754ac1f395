package io.polystore.gateway.account.internal;

import io.polystore.events.AccountChanged;
import io.polystore.events.EventCodec;
import io.polystore.events.EventEnvelope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.util.UUID;

/**
 * Writes an account change's audit event into {@code account_event}, in the transaction of the change, so that the
 * change and its audit record are committed together; {@link AccountEventRelay} takes it to Kafka from there.
 */
public final class AccountEventOutbox {

    static final String SOURCE = "/gateway";

    private final JdbcClient jdbc;
    private final EventCodec codec;
    private final Clock clock;
    private final AccountEventRelay relay;

    public AccountEventOutbox(JdbcClient jdbc, EventCodec codec, Clock clock, AccountEventRelay relay) {
        this.jdbc = jdbc;
        this.codec = codec;
        this.clock = clock;
        this.relay = relay;
    }

    /** @throws IllegalStateException outside a transaction, where the event could outlive or miss its change */
    public void write(AccountChanged change) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("An account event is written only in the transaction of its change");
        }
        EventEnvelope envelope = EventEnvelope.of(change, SOURCE, clock);
        jdbc.sql("INSERT INTO account_event (id, envelope) VALUES (:id, :envelope)")
                .param("id", UUID.fromString(envelope.id()))
                .param("envelope", codec.toStructuredJson(envelope))
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wake();
            }
        });
    }
}
