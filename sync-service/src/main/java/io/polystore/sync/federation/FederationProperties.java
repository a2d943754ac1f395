package io.polystore.sync.federation;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Federated read queries over order-service's database and catalog-service's SurrealDB database, under
 * {@code polystore.sync.federation}; each property is described in the README. The stores' addresses are the ones
 * {@code polystore.sync.postgres.*} and {@code polystore.surrealdb.*} name; the federation reads them as users of
 * its own that can only read.
 */
@Validated
@ConfigurationProperties("polystore.sync.federation")
public record FederationProperties(
        @Min(1) @Max(100_000) @DefaultValue("10000") int rowCap,
        @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 10) @DefaultValue("10s") Duration timeLimit,
        @Min(1) @Max(64) @DefaultValue("4") int poolSize,
        @Valid @NotNull @DefaultValue Postgres postgres,
        @Valid @NotNull @DefaultValue Surrealdb surrealdb) {

    /**
     * The read-only PostgreSQL role. With {@code provision}, sync-service creates or updates it at start-up through
     * the {@code polystore.sync.postgres} user (which then needs {@code CREATEROLE}) and grants it the readable
     * columns; otherwise an operator does so (README).
     */
    public record Postgres(
            @NotBlank @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}") @DefaultValue("polystore_federation") String role,
            @NotBlank @DefaultValue("polystore-federation") String password,
            @DefaultValue("true") boolean provision) {

        @Override
        public String toString() {
            return "Postgres[role=" + role + ", provision=" + provision + "]";
        }
    }

    /**
     * The SurrealDB database user with the {@code VIEWER} role on the catalog database. With {@code provision},
     * sync-service defines it at start-up through the {@code polystore.surrealdb} user. SurrealQL takes a user's
     * password only as a literal, so it may not contain quotes or backslashes.
     */
    public record Surrealdb(
            @NotBlank @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,62}") @DefaultValue("federation") String username,
            @NotBlank @Pattern(regexp = "[^'\"\\\\]+", message = "must not contain quotes or backslashes")
            @DefaultValue("polystore-federation") String password,
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_]+") @DefaultValue("catalog") String catalogDatabase,
            @DefaultValue("true") boolean provision) {

        @Override
        public String toString() {
            return "Surrealdb[username=" + username + ", catalogDatabase=" + catalogDatabase + ", provision=" + provision + "]";
        }
    }
}
