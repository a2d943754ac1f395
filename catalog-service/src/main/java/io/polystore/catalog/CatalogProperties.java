package io.polystore.catalog;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code polystore.catalog.*}.
 *
 * @param transactionAttempts     how often a transaction that read stale data or met a conflict is tried in all
 * @param outbox                  the change-fed outbox
 * @param reservations            stock reservations
 * @param search                  product search
 */
@Validated
@ConfigurationProperties("polystore.catalog")
public record CatalogProperties(
        @Min(1) @Max(1000) @DefaultValue("30") int transactionAttempts,
        @Valid @NotNull @DefaultValue Outbox outbox,
        @Valid @NotNull @DefaultValue Reservations reservations,
        @Valid @NotNull @DefaultValue Search search) {

    /**
     * @param database the database of the outbox table, which holds nothing else so that change-feed pages are never
     *                 filled by other tables (see the README); sync-service deletes each row once it has relayed it
     */
    public record Outbox(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_]+", message = "must be letters, digits and underscores") String database) {
    }

    /**
     * @param ttl           how long a reservation holds stock unless the order is confirmed or the stock released
     * @param sweepInterval how often expired reservations are released
     * @param sweepBatch    how many expired reservations one sweep releases at most
     */
    public record Reservations(
            @NotNull @DefaultValue("15m") Duration ttl,
            @NotNull @DefaultValue("30s") Duration sweepInterval,
            @Min(1) @DefaultValue("100") int sweepBatch) {
    }

    /**
     * @param defaultPageSize products per page when the request names none
     * @param maxPageSize     the largest page a request may ask for
     */
    public record Search(
            @Min(1) @DefaultValue("20") int defaultPageSize,
            @Min(1) @Max(500) @DefaultValue("100") int maxPageSize) {
    }
}
