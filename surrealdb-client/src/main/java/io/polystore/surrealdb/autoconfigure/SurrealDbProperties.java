package io.polystore.surrealdb.autoconfigure;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code polystore.surrealdb.*}: where SurrealDB is, who to sign in as, and what to do at start-up.
 *
 * @param url                         the server's base URL; RPC goes to {@code <url>/rpc}
 * @param username                    the user to sign in as (once; the token is renewed)
 * @param password                    its password
 * @param namespace                   the namespace to work in
 * @param database                    the database to work in
 * @param authNamespace               the namespace the user is defined on; empty for a root user
 * @param authDatabase                the database the user is defined on; empty for a root or namespace user
 * @param connectTimeout              how long to wait for a connection
 * @param requestTimeout              how long to wait for a free connection and for an answer
 * @param maxConcurrentRequests       requests in flight at once, each on its own pooled keep-alive connection
 * @param sslBundle                   the Spring SSL bundle whose trust store verifies an {@code https} server; empty
 *                                    for the JVM's default trust store
 * @param defineNamespaceAndDatabase  define the namespace and database at start-up if missing
 * @param migrations                  schema migrations applied at start-up
 */
@Validated
@ConfigurationProperties("polystore.surrealdb")
public record SurrealDbProperties(
        @NotNull URI url,
        @NotBlank String username,
        @NotBlank String password,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_]+", message = "must be letters, digits and underscores") String namespace,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_]+", message = "must be letters, digits and underscores") String database,
        String authNamespace,
        String authDatabase,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("30s") Duration requestTimeout,
        @Min(1) @DefaultValue("64") int maxConcurrentRequests,
        String sslBundle,
        @DefaultValue("true") boolean defineNamespaceAndDatabase,
        @Valid @NotNull @DefaultValue Migrations migrations) {

    /**
     * @param enabled      apply pending migrations at start-up
     * @param locations    where the {@code V<version>__<description>.surql} files are
     * @param placeholders {@code ${name}} values for the scripts, besides {@code namespace} and {@code database}
     */
    public record Migrations(
            @DefaultValue("true") boolean enabled,
            @NotEmpty @DefaultValue("classpath:db/surrealdb/migration") List<String> locations,
            @DefaultValue Map<String, String> placeholders) {
    }
}
