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
 * @param rebalancing             the rebalancer that asks peers for stock and gives them what is spare
 */
@Validated
@ConfigurationProperties("polystore.catalog")
public record CatalogProperties(
        @Min(1) @Max(1000) @DefaultValue("30") int transactionAttempts,
        @Valid @NotNull @DefaultValue Outbox outbox,
        @Valid @NotNull @DefaultValue Reservations reservations,
        @Valid @NotNull @DefaultValue Search search,
        @Valid @NotNull @DefaultValue Rebalancing rebalancing) {

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

    /**
     * @param enabled        whether this region asks its peers for stock and answers their requests (only with peers)
     * @param interval       how often products short of stock are looked for
     * @param lowWater       a product sold here (it has demand here) with fewer units available is short of stock and
     *                       asked for; a region gives only units above it
     * @param target         how many units a request tops a short product up to
     * @param requestTimeout how long a request stays open without units arriving; then the next peer is asked
     * @param batch          how many short products one pass asks for at most
     */
    public record Rebalancing(
            @DefaultValue("true") boolean enabled,
            @NotNull @DefaultValue("10s") Duration interval,
            @Min(0) @DefaultValue("5") int lowWater,
            @Min(1) @DefaultValue("10") int target,
            @NotNull @DefaultValue("1m") Duration requestTimeout,
            @Min(1) @DefaultValue("100") int batch) {
    }
}
