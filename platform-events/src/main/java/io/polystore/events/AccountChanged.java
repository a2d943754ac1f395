package io.polystore.events;

import java.time.Instant;
import java.util.List;

/**
 * A person's account at the gateway was created or changed: registered, seeded, granted or revoked a role, locked
 * after failed sign-ins, or unlocked.
 *
 * @param actor   who made the change: the username of the person (the account's own for a registration, an
 *                administrator's for a grant), or {@link #GATEWAY} for what the gateway does itself (seeding, lockout)
 * @param account the username of the account changed
 * @param role    the role granted or revoked; null for the other changes
 * @param roles   the account's roles after the change, sorted; empty when it has none left
 */
@EventType(name = "io.polystore.audit.AccountChanged", version = 1, topic = Topics.AUDIT_EVENTS)
public record AccountChanged(String actor, String account, Change change, String role, List<String> roles,
        Instant occurredAt) implements PolystoreEvent {

    /** The actor of changes the gateway makes on its own. */
    public static final String GATEWAY = "gateway";

    public AccountChanged {
        Require.notBlank(actor, "actor");
        Require.notBlank(account, "account");
        Require.notNull(change, "change");
        boolean aboutARole = change == Change.ROLE_GRANTED || change == Change.ROLE_REVOKED;
        if (aboutARole != (role != null)) {
            throw new IllegalArgumentException("role is required for ROLE_GRANTED and ROLE_REVOKED, and only for them");
        }
        Require.nullOrNotBlank(role, "role");
        for (String held : Require.notNull(roles, "roles")) {
            Require.notBlank(held, "roles[]");
        }
        roles = List.copyOf(roles);
        Require.notNull(occurredAt, "occurredAt");
    }

    @Override
    public String aggregateId() {
        return account;
    }

    public enum Change {
        /** The person signed up. */
        REGISTERED,
        /** The gateway created it from its seed (the demo users, the first administrator). */
        SEEDED,
        ROLE_GRANTED,
        ROLE_REVOKED,
        /** Too many failed sign-ins. */
        LOCKED,
        /** An administrator lifted a lock. */
        UNLOCKED
    }
}
