package io.polystore.surrealdb.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.http.HttpRpcTransport;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.SurrealDbEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The auto-configuration against the real SurrealDB engine. */
class SurrealDbAutoConfigurationIT {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SurrealDbAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void givesAClientOnADefinedAndMigratedDatabase() {
        String database = "autoconfig" + DATABASES.incrementAndGet();

        runner.withPropertyValues(properties(database)).run(context -> {
            SurrealClient client = context.getBean(SurrealClient.class);

            Object label = client.query("CREATE ONLY widget SET name = 'w' RETURN VALUE label").result(0);

            assertThat(label).isEqualTo("widget in " + database);
            assertThat(client.query("SELECT VALUE version FROM schema_migration ORDER BY version").result(0))
                    .isEqualTo(List.of(1L, 2L));
            assertThat(context.getBean(MeterRegistry.class).find(HttpRpcTransport.TIMER).tag("method", "signin").timer())
                    .isNotNull();
        });
    }

    @Test
    void reportsHealthWithTheDatabase() {
        String database = "autoconfig" + DATABASES.incrementAndGet();

        runner.withPropertyValues(properties(database)).run(context -> {
            Health health = context.getBean(SurrealDbHealthIndicator.class).health(true);

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("database", database).containsKey("latencyMillis");
        });
    }

    @Test
    void failsStartUpNamingTheUrlWhenNothingAnswers() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + freePort;

        runner.withPropertyValues(properties("unreachable"))
                .withPropertyValues("polystore.surrealdb.url=" + url, "polystore.surrealdb.connect-timeout=1s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    SurrealDbUnavailableException unavailable = findCause(context.getStartupFailure());
                    assertThat(unavailable.getMessage()).startsWith("Cannot reach SurrealDB at " + url + ": Cannot connect");
                    FailureAnalysis analysis = new SurrealDbUnavailableFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getAction()).contains(url).contains("polystore.surrealdb.url");
                });
    }

    @Test
    void failsStartUpWhenTheCredentialsAreRefused() {
        runner.withPropertyValues(properties("refused"))
                .withPropertyValues("polystore.surrealdb.password=not-the-password")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(findCause(context.getStartupFailure()).getMessage())
                            .contains("refused the credentials of user")
                            .doesNotContain("not-the-password");
                });
    }

    @Test
    void refusesAConfigurationWithoutUrl() {
        runner.withPropertyValues("polystore.surrealdb.username=root", "polystore.surrealdb.password=root",
                        "polystore.surrealdb.namespace=n", "polystore.surrealdb.database=d")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().hasStackTraceContaining("polystore.surrealdb.url"));
    }

    private static String[] properties(String database) {
        SurrealDbEndpoint endpoint = SharedServers.surrealDb();
        return new String[]{
                "polystore.surrealdb.url=" + endpoint.url(),
                "polystore.surrealdb.username=" + endpoint.username(),
                "polystore.surrealdb.password=" + endpoint.password(),
                "polystore.surrealdb.namespace=autoconfig_it",
                "polystore.surrealdb.database=" + database,
                "polystore.surrealdb.migrations.locations=classpath:autoconfig-it/migration"};
    }

    private static SurrealDbUnavailableException findCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SurrealDbUnavailableException unavailable) {
                return unavailable;
            }
        }
        throw new AssertionError("No SurrealDbUnavailableException in " + failure);
    }
}
