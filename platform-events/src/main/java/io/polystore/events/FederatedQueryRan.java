package io.polystore.events;

import java.time.Instant;

/**
 * Someone ran an ad-hoc read-only SQL query through sync-service's federation ({@code POST /query}).
 *
 * @param queryId    the query's own id: the Kafka key and the CloudEvents subject
 * @param actor      the JWT subject of who ran it
 * @param sql        the query's text as sent
 * @param outcome    how it ended
 * @param rowCount   rows returned; 0 unless {@link Outcome#SUCCEEDED}
 * @param durationMillis from the request's arrival to the answer or the refusal
 */
@EventType(name = "io.polystore.audit.FederatedQueryRan", version = 1, topic = Topics.AUDIT_EVENTS)
public record FederatedQueryRan(String queryId, String actor, String sql, Outcome outcome, int rowCount,
                                long durationMillis, Instant occurredAt) implements PolystoreEvent {

    public FederatedQueryRan {
        Require.notBlank(queryId, "queryId");
        Require.notBlank(actor, "actor");
        Require.notNull(sql, "sql");
        Require.notNull(outcome, "outcome");
        Require.notNegative(rowCount, "rowCount");
        Require.notNegative(durationMillis, "durationMillis");
        Require.notNull(occurredAt, "occurredAt");
    }

    @Override
    public String aggregateId() {
        return queryId;
    }

    public enum Outcome {
        /** Answered with its rows. */
        SUCCEEDED,
        /** Refused before it ran: not one SELECT, or not valid against the schema. */
        REFUSED,
        /** Stopped at the row cap or the time limit. */
        LIMIT_EXCEEDED,
        /** A store failed. */
        FAILED
    }
}
