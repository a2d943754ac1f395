package io.polystore.surrealdb.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.testkit.surrealdb.SurrealDbServer;
import io.polystore.testkit.tls.LocalCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client over HTTPS: the engine program serving TLS with the local host certificate, the client trusting the
 * CA of the SSL bundle {@code polystore.surrealdb.ssl-bundle} names, and refusing a server its bundle does not vouch for.
 */
class SurrealDbOverTlsIT {

    @TempDir
    static Path directory;

    private static LocalCertificates certificates;
    private static SurrealDbServer server;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SurrealDbAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("polystore.surrealdb.username=root", "polystore.surrealdb.password=root",
                    "polystore.surrealdb.namespace=tls_it", "polystore.surrealdb.database=tls_it",
                    "polystore.surrealdb.migrations.enabled=false", "polystore.surrealdb.ssl-bundle=local");

    @BeforeAll
    static void start() {
        certificates = LocalCertificates.in(directory.resolve("tls"));
        server = SurrealDbServer.start(SurrealDbServer.Options.temporary().withTls(certificates));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void queriesOverHttpsTrustingTheBundlesCa() {
        assertThat(server.url()).startsWith("https://127.0.0.1:");

        runner.withPropertyValues("polystore.surrealdb.url=" + server.url(),
                        "spring.ssl.bundle.pem.local.truststore.certificate=" + certificates.caCertificate())
                .run(context -> assertThat(context.getBean(SurrealClient.class).query("RETURN 1 + 1").result(0))
                        .isEqualTo(2L));
    }

    @Test
    void refusesAServerThatAnotherCaVouchesFor() {
        LocalCertificates otherCa = LocalCertificates.in(directory.resolve("other-tls"));

        runner.withPropertyValues("polystore.surrealdb.url=" + server.url(), "polystore.surrealdb.connect-timeout=2s",
                        "spring.ssl.bundle.pem.local.truststore.certificate=" + otherCa.caCertificate())
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasMessageContaining("Cannot reach SurrealDB at " + server.url()));
    }

    @Test
    void refusesPlainHttpToTheTlsPort() {
        runner.withPropertyValues("polystore.surrealdb.url=http://127.0.0.1:" + server.port(),
                        "polystore.surrealdb.request-timeout=5s",
                        "spring.ssl.bundle.pem.local.truststore.certificate=" + certificates.caCertificate())
                .run(context -> assertThat(context).hasFailed());
    }
}
