package io.polystore.events;

import java.time.Instant;

/**
 * The gateway allowed or denied a request.
 *
 * @param principal the JWT subject, or {@link #ANONYMOUS} for a request without a valid token
 * @param clientId the OAuth2 client the token was issued to, null without a token
 * @param route the id of the gateway route that matched, or the path when none did
 * @param status the HTTP status returned
 * @param clientAddress the caller's IP address
 */
@EventType(name = "io.polystore.audit.AccessDecided", version = 1, topic = Topics.AUDIT_EVENTS)
public record AccessDecided(String principal, String clientId, String method, String route, int status,
        Decision decision, long latencyMicros, String clientAddress, Instant occurredAt) implements PolystoreEvent {

    public static final String ANONYMOUS = "anonymous";

    public AccessDecided {
        Require.notBlank(principal, "principal");
        Require.nullOrNotBlank(clientId, "clientId");
        Require.notBlank(method, "method");
        Require.notBlank(route, "route");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status code, was " + status);
        }
        Require.notNull(decision, "decision");
        Require.notNegative(latencyMicros, "latencyMicros");
        Require.notBlank(clientAddress, "clientAddress");
        Require.notNull(occurredAt, "occurredAt");
    }

    @Override
    public String aggregateId() {
        return principal;
    }

    public enum Decision {
        ALLOW,
        DENY
    }
}
