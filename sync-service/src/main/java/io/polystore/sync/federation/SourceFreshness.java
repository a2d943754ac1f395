package io.polystore.sync.federation;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * How far the relay of one source has delivered its changes to Kafka, and so to the other services: the stores are
 * only eventually consistent, and an answer that joins them may show one side's changes before the other side has
 * applied them.
 *
 * @param schema            the schema the source backs ({@code orders}, {@code catalog})
 * @param relay             the relay's source name ({@code postgres}, {@code surrealdb})
 * @param deliveredPosition the relay's last confirmed position: the replication slot's confirmed LSN, or the
 *                          change-feed cursor's versionstamp; null when the relay has not run yet
 * @param deliveredThrough  when the newest change delivered was committed (the outbox row's time; the
 *                          versionstamp's time), or null when unknown
 * @param behindBytes       for PostgreSQL, WAL written since the confirmed position (0: nothing left to deliver);
 *                          null for SurrealDB
 * @param observedAt        when this was read
 */
public record SourceFreshness(String schema, String relay, @Nullable String deliveredPosition,
                              @Nullable Instant deliveredThrough, @Nullable Long behindBytes, Instant observedAt) {
}
