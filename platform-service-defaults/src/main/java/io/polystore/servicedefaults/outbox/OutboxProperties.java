package io.polystore.servicedefaults.outbox;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code polystore.outbox.*}: where a service's transactional outbox lives and how long relayed rows are kept.
 *
 * @param table            the outbox table, optionally schema-qualified; created by the service's own migration
 * @param source           the CloudEvents {@code source} of the events written; {@code /<spring.application.name>}
 *                         when empty
 * @param retention        how long a row stays in the table; sync-service relays from the WAL, not from the table,
 *                         so deleting a row later never loses its event
 * @param cleanupInterval  how often rows older than the retention are deleted
 * @param cleanupBatchSize rows deleted per statement, so that a large backlog never holds locks for long
 * @param replicationSlot  the logical replication slot sync-service relays through; rows the slot has not yet
 *                         confirmed count as backlog. Without a slot (or before it exists) every row counts
 */
@Validated
@ConfigurationProperties("polystore.outbox")
public record OutboxProperties(
        @DefaultValue("outbox_event") @Pattern(regexp = IDENTIFIER, message = "must be a plain SQL identifier") String table,
        String source,
        @DefaultValue("24h") Duration retention,
        @DefaultValue("1m") Duration cleanupInterval,
        @DefaultValue("1000") @Min(1) int cleanupBatchSize,
        String replicationSlot) {

    // Identifiers cannot be bind parameters; only this shape is ever put into SQL text.
    static final String IDENTIFIER = "[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?";
}
