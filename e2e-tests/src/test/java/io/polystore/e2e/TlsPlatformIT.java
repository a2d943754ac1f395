package io.polystore.e2e;

import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.LocalPlatform;
import io.polystore.testkit.platform.PlatformPorts;
import io.polystore.testkit.platform.PlatformService;
import io.polystore.testkit.tls.LocalCertificates;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The platform as {@code ./polystore --tls} runs it: TLS on every hop. It runs in a test JVM of its own after the
 * main suite (the failsafe execution {@code tls}), on its own ports and data, sharing nothing with the suite's
 * platform. One order crosses every hop: the client to the gateway and the gateway to the services over HTTPS, the
 * services' fetch of the gateway's keys over HTTPS, PostgreSQL with {@code sslmode=verify-full} (the services and
 * the relay's WAL reading), Kafka over SSL (the services, the relays, Debezium's offsets, the audit trail),
 * SurrealDB over HTTPS, and order-service to audit-service over HTTPS for alice's export. Then every listener is
 * shown to refuse plaintext and to be verified against the local CA.
 */
class TlsPlatformIT {

    private static LocalPlatform platform;
    private static LocalCertificates certificates;
    private static LocalCertificates otherCa;

    @BeforeAll
    static void start() {
        Path repository = Path.of(System.getProperty("polystore.repository", ".."));
        Path data = Path.of(System.getProperty("polystore.e2e.tls-data", "target/e2e-platform-tls"));
        RunningPlatform.deleteRecursively(data);
        long begin = System.nanoTime();
        platform = LocalPlatform.start(new LocalPlatform.Options(repository, data, PlatformPorts.free(),
                line -> System.out.println("[tls platform] " + line)).withTls());
        System.out.printf("[tls platform] ready in %.1f s, gateway %s%n", (System.nanoTime() - begin) / 1e9, platform.gatewayUrl());
        certificates = platform.certificates().orElseThrow();
        otherCa = LocalCertificates.in(data.resolve("other-ca"));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void anOrderPlacedOverHttpsIsConfirmedAndExportedWithItsAuditTrailAcrossTlsHops() {
        assertThat(platform.gatewayUrl().getScheme()).isEqualTo("https");
        Shop shop = new Shop(platform, platform.gateway());
        String product = shop.createProduct("TLS kettle", 5);

        String order = shop.placeOrder(Map.of(product, 2));

        shop.awaitStatus(order, "CONFIRMED");
        assertThat(shop.awaitNothingReserved(product)).isEqualTo(new Shop.Inventory(3, 0, 2));
        // alice's export: order-service reads audit-service over HTTPS; the gateway's access decisions reached the
        // audit trail through Kafka over SSL.
        await("alice's export with her order and her accesses").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    GatewayClient.Response export = shop.gateway.get("/api/customers/alice/personal-data", shop.token("CUSTOMER"));
                    assertThat(export.status()).as(export.body()).isEqualTo(200);
                    assertThat(export.json().path("orders").valueStream().map(item -> item.path("id").asString())).contains(order);
                    assertThat(export.json().path("auditRecords").valueStream().anyMatch(record ->
                            record.path("action").asString().equals("ACCESS_ALLOW")
                                    && record.path("actor").asString().equals("alice"))).as(export.body()).isTrue();
                });
    }

    @Test
    void everyServiceServesVerifiedHttpsOnly() throws Exception {
        for (PlatformService service : PlatformService.values()) {
            int port = service.port(platform.ports());
            URI health = URI.create("https://localhost:" + port + "/actuator/health/readiness");
            assertThat(send(client(certificates.clientContext()), health).statusCode()).as(service.moduleName()).isEqualTo(200);
            // Tomcat answers a plain request on its TLS port with 400 "This combination of host and port requires TLS".
            OptionalInt plain = plainHttpStatus(port);
            assertThat(plain.isEmpty() || plain.getAsInt() == 400).as("%s over plain HTTP: %s", service.moduleName(), plain).isTrue();
            assertThatThrownBy(() -> send(client(otherCa.clientContext()), health)).as("%s to a client of another CA", service.moduleName())
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void theStoresRefusePlaintextAndClientsOfAnotherCa() throws Exception {
        int postgres = platform.ports().postgres();
        assertThatThrownBy(() -> DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + postgres + "/orders?sslmode=disable", "postgres", "postgres").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("no encryption");
        assertThatThrownBy(() -> DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + postgres + "/orders?" + otherCa.jdbcParameters(), "postgres", "postgres").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("SSL error");

        assertThat(kafkaAnswers(Map.of())).as("Kafka to a plaintext client").isFalse();
        assertThat(kafkaAnswers(Map.of("security.protocol", "SSL", "ssl.truststore.type", "PEM",
                "ssl.truststore.location", otherCa.caCertificate().toString()))).as("Kafka to a client of another CA").isFalse();
        assertThat(kafkaAnswers(Map.of("security.protocol", "SSL", "ssl.truststore.type", "PEM",
                "ssl.truststore.location", certificates.caCertificate().toString()))).as("Kafka to a client of the CA").isTrue();

        int surrealDb = platform.ports().surrealDb();
        assertThat(plainHttpStatus(surrealDb)).as("SurrealDB over plain HTTP").isEmpty();
        assertThatThrownBy(() -> send(client(otherCa.clientContext()), URI.create("https://127.0.0.1:" + surrealDb + "/health")))
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(send(client(certificates.clientContext()), URI.create("https://127.0.0.1:" + surrealDb + "/health"))
                .statusCode()).isEqualTo(200);
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> send(HttpClient client, URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status a plain HTTP request gets from a TLS port, or none when the connection is closed without an answer. */
    private static OptionalInt plainHttpStatus(int port) throws InterruptedException {
        try {
            return OptionalInt.of(send(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + port + "/actuator/health")).statusCode());
        } catch (IOException refused) {
            return OptionalInt.empty();
        }
    }

    private static boolean kafkaAnswers(Map<String, Object> security) throws InterruptedException {
        Map<String, Object> config = new HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + platform.ports().kafka());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
