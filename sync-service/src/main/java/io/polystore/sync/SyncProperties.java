package io.polystore.sync;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Configuration of the relays, under {@code polystore.sync}; each property is described in the README. */
@Validated
@ConfigurationProperties("polystore.sync")
public record SyncProperties(@Valid @NotNull Postgres postgres, @Valid @NotNull Surrealdb surrealdb,
                             @Valid @NotNull Leadership leadership, @NotNull Duration publishTimeout) {

    /**
     * Order-service's database, read from its WAL (Debezium) and, with the same connection settings, by the WAL
     * gauge, the reconciliation and the federation.
     *
     * @param host one host, or several as {@code host[:port],host[:port]} (a primary and its standbys, in any order;
     *             {@code port} for those without one): connections go to whichever is the primary
     */
    public record Postgres(boolean enabled,
                           @NotBlank @Pattern(regexp = "[^,:\\s]+(:\\d{1,5})?(\\s*,\\s*[^,:\\s]+(:\\d{1,5})?)*",
                                   message = "must be host[:port], or several separated by commas") String host,
                           @Min(1) @Max(65535) int port,
                           @NotBlank String database,
                           @NotBlank String username,
                           String password,
                           @NotBlank @Pattern(regexp = "disable|allow|prefer|require|verify-ca|verify-full",
                                   message = "must be disable, allow, prefer, require, verify-ca or verify-full") String sslMode,
                           String sslRootCert,
                           @NotBlank @Pattern(regexp = "[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*") String table,
                           @NotBlank @Pattern(regexp = "[a-z_][a-z0-9_]*") String slot,
                           @NotBlank @Pattern(regexp = "[a-z_][a-z0-9_]*") String publication,
                           @NotNull Duration pollInterval,
                           @NotBlank String offsetTopic,
                           @NotNull Duration offsetFlushInterval,
                           @NotNull Duration heartbeatInterval,
                           @Min(1) long walRetainedAlertBytes,
                           @NotNull Duration walSampleInterval) {

        /** One of the servers {@code host} names. */
        public record Server(String host, int port) {
        }

        public List<Server> servers() {
            return Arrays.stream(host.split(",")).map(String::strip).filter(name -> !name.isEmpty()).map(name -> {
                int colon = name.lastIndexOf(':');
                return colon < 0 ? new Server(name, port)
                        : new Server(name.substring(0, colon), Integer.parseInt(name.substring(colon + 1)));
            }).toList();
        }

        /** The JDBC URL of the database on the primary among the servers, with the TLS settings. */
        public String jdbcUrl() {
            String url = "jdbc:postgresql://" + servers().stream().map(server -> server.host() + ":" + server.port())
                    .collect(Collectors.joining(",")) + "/" + database + "?sslmode=" + sslMode
                    + (servers().size() > 1 ? "&targetServerType=primary&hostRecheckSeconds=2" : "");
            return hasRootCert() ? url + "&sslrootcert=" + URLEncoder.encode(sslRootCert, StandardCharsets.UTF_8) : url;
        }

        public boolean hasRootCert() {
            return sslRootCert != null && !sslRootCert.isBlank();
        }
    }

    /** Catalog-service's outbox database, read from its change feed (connection: {@code polystore.surrealdb.*}). */
    public record Surrealdb(boolean enabled,
                            @NotBlank String source,
                            @Min(1) @Max(1000) int batchSize,
                            @NotNull Duration busyPollInterval,
                            @NotNull Duration idlePollInterval,
                            @NotNull Duration lateEntryDelay) {
    }

    /** One active relay per source: an advisory lock in sync-service's own database. */
    public record Leadership(@NotNull Duration retryInterval, @NotNull Duration checkInterval) {
    }
}
