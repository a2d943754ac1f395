package io.polystore.deployment.compose;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.polystore.deployment.support.Dockerfile;
import io.polystore.deployment.support.GatewaySignIn;
import io.polystore.deployment.support.HostCommand;
import io.polystore.deployment.support.ImageRuntime;
import io.polystore.deployment.support.Repository;
import io.polystore.testkit.kafka.KafkaBrokerProcess;
import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.PackagedServices;
import io.polystore.testkit.platform.PlatformPorts;
import io.polystore.testkit.platform.PlatformService;
import io.polystore.testkit.postgres.EmbeddedPostgresServer;
import io.polystore.testkit.surrealdb.SurrealDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code docker-compose.yml}'s configuration boots the real services. The stores are the testkit's, on ports that
 * are none of PostgreSQL's, Kafka's or SurrealDB's defaults, prepared as compose prepares its own (the PostgreSQL
 * init script run against the test's PostgreSQL, SurrealDB's root user from compose's credentials). Each of the five
 * packaged jars then runs with the image's environment (the Dockerfile's ENV) plus its compose environment exactly
 * as {@code docker-compose config} resolves it, only host names and ports rewritten, and nothing else: no profile, no
 * argument but its port. A misspelt variable falls back to a default that points nowhere, and the test fails.
 *
 * <p>Also here, on the same running platform: Prometheus from compose's scrape configuration (rewritten the same way)
 * scrapes every service, and the images' health check command answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposePlatformIT {

    private static final Logger log = LoggerFactory.getLogger(ComposePlatformIT.class);
    private static final Path REPOSITORY = Repository.root();
    private static final Duration SAGA_TIMEOUT = Duration.ofMinutes(2);
    private static final Map<PlatformService, String> COMPOSE_SERVICES = Map.of(
            PlatformService.GATEWAY, "gateway", PlatformService.ORDERS, "order-service",
            PlatformService.CATALOG, "catalog-service", PlatformService.SYNC, "sync-service",
            PlatformService.AUDIT, "audit-service");

    private final Path work = REPOSITORY.resolve("deployment-tests/target/compose-platform");
    private final List<AutoCloseable> stores = new ArrayList<>();
    private ComposeConfig compose;
    private PlatformPorts ports;
    private ComposeAddresses addresses;
    private PackagedServices services;

    @BeforeAll
    void start() throws Exception {
        compose = ComposeConfig.resolve(REPOSITORY);
        HostCommand.requireInstalled("psql", "postgresql-client");
        FileSystemUtils.deleteRecursively(work);
        Files.createDirectories(work);
        ports = PlatformPorts.free();
        assertThat(List.of(ports.postgres(), ports.kafka(), ports.surrealDb())).doesNotContain(5432, 9092, 8000);

        Map<String, String> surrealDb = compose.environment("surrealdb");
        var postgresStarting = CompletableFuture.supplyAsync(this::startPostgres);
        var kafkaStarting = CompletableFuture.supplyAsync(() -> KafkaBrokerProcess.start(work.resolve("kafka"), ports.kafka()));
        var surrealDbStarting = CompletableFuture.supplyAsync(() -> SurrealDbServer.start(
                SurrealDbServer.Options.onDisk(work.resolve("surrealdb")).withPort(ports.surrealDb())
                        .withCredentials(surrealDb.get("SURREAL_USER"), surrealDb.get("SURREAL_PASS"))));
        stores.add(postgresStarting.join());
        stores.add(kafkaStarting.join());
        stores.add(surrealDbStarting.join());

        List<ComposeAddresses.Endpoint> endpoints = new ArrayList<>(List.of(
                new ComposeAddresses.Endpoint("postgres", 5432, ports.postgres()),
                new ComposeAddresses.Endpoint("kafka", 9092, ports.kafka()),
                new ComposeAddresses.Endpoint("surrealdb", 8000, ports.surrealDb())));
        COMPOSE_SERVICES.forEach((service, name) -> endpoints.add(
                new ComposeAddresses.Endpoint(name, containerPort(name), service.port(ports))));
        addresses = new ComposeAddresses(endpoints);

        Dockerfile.Stage image = Dockerfile.read(REPOSITORY.resolve("Dockerfile")).finalStage();
        Map<PlatformService, PackagedServices.Launch> launches = new EnumMap<>(PlatformService.class);
        COMPOSE_SERVICES.forEach((service, name) -> {
            Map<String, String> environment = new LinkedHashMap<>(Dockerfile.environment(image, compose.buildArguments(name)));
            environment.putAll(compose.environment(name));
            launches.put(service, new PackagedServices.Launch(service.port(ports), addresses.rewrite(environment)));
        });
        services = PackagedServices.start(REPOSITORY, work.resolve("logs"), launches, line -> log.info("{}", line));
    }

    @AfterAll
    void stop() {
        if (services != null) {
            services.close();
        }
        stores.reversed().forEach(store -> {
            try {
                store.close();
            } catch (Exception e) {
                log.warn("Stopping {} failed", store, e);
            }
        });
    }

    @Test
    void anOrderPlacedThroughTheGatewayIsConfirmed() {
        GatewayClient gateway = new GatewayClient(services.gatewayUrl());
        String carol = GatewaySignIn.accessToken(services.gatewayUrl(), "carol", "polystore");
        String alice = GatewaySignIn.accessToken(services.gatewayUrl(), "alice", "polystore");

        GatewayClient.Response product = gateway.post("/api/catalog/products", carol, Map.of(
                "sku", "COMPOSE-" + UUID.randomUUID(), "name", "Compose mug",
                "price", Map.of("amount", "12.50", "currency", "EUR"), "initialStock", 10));
        assertThat(product.status()).as("create product: %s", product.body()).isEqualTo(201);
        String productId = product.json().path("id").asString();

        String orderId = placeOrder(gateway, alice, productId);
        AtomicReference<JsonNode> order = new AtomicReference<>();
        await("order " + orderId + " CONFIRMED").atMost(SAGA_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            GatewayClient.Response response = gateway.get("/api/orders/" + orderId, alice);
            assertThat(response.status()).as("read order: %s", response.body()).isEqualTo(200);
            order.set(response.json());
            assertThat(order.get().path("status").asString()).isEqualTo("CONFIRMED");
        });
        assertThat(order.get().path("personalData").path("name").asString()).isEqualTo("Alice Example");
    }

    /**
     * The services fetch the gateway's keys inside the network (jwk-set-uri) and still check that a token's issuer is
     * the gateway's public address: a token signed by the gateway's own key but naming another issuer is refused.
     */
    @Test
    void servicesCheckTheIssuerOfTokensSignedWithTheGatewaysKey() throws Exception {
        String alice = GatewaySignIn.accessToken(services.gatewayUrl(), "alice", "polystore");
        String issuer = compose.environment("gateway").get("POLYSTORE_IDENTITY_ISSUERURI");
        assertThat(SignedJWT.parse(alice).getJWTClaimsSet().getIssuer()).isEqualTo(issuer).isEqualTo("http://localhost:8080");
        GatewayClient orderService = new GatewayClient(URI.create("http://127.0.0.1:" + PlatformService.ORDERS.port(ports)));

        assertThat(orderService.get("/orders", alice).status()).isEqualTo(200);
        assertThat(orderService.get("/orders", signedWithGatewayKey("alice", issuer)).status()).isEqualTo(200);
        assertThat(orderService.get("/orders", signedWithGatewayKey("alice", "http://gateway:8080")).status()).isEqualTo(401);
    }

    /** The health checks of the image and of compose, run as written (only the probe's directory is this build's). */
    @Test
    void theHealthCheckCommandsAnswerForEveryService() throws Exception {
        Path probe = ImageRuntime.compileHealthProbe(REPOSITORY, work.resolve("healthcheck"));
        List<String> imageCheck = Dockerfile.execForm(Dockerfile.read(REPOSITORY.resolve("Dockerfile")).finalStage()
                .all("HEALTHCHECK").getFirst());
        for (var service : COMPOSE_SERVICES.entrySet()) {
            List<String> composeCheck = compose.healthcheck(service.getValue());
            assertThat(composeCheck.getFirst()).isEqualTo("CMD");
            for (List<String> check : List.of(imageCheck, composeCheck.subList(1, composeCheck.size()))) {
                HostCommand.Result answer = HostCommand.run(REPOSITORY,
                        Map.of("SERVER_PORT", String.valueOf(service.getKey().port(ports))), Duration.ofSeconds(30), ImageRuntime.onThisMachine(check, probe));
                assertThat(answer.exitCode()).as("%s: %s", service.getValue(), answer.output()).isZero();
            }
        }
        HostCommand.Result nobody = HostCommand.run(REPOSITORY, Map.of("SERVER_PORT", String.valueOf(PlatformPorts.free().gateway())),
                Duration.ofSeconds(30), ImageRuntime.onThisMachine(imageCheck, probe));
        assertThat(nobody.exitCode()).as(nobody.output()).isEqualTo(1);
    }

    @Test
    void prometheusScrapesEveryServiceWithTheShippedConfiguration() throws Exception {
        try (PrometheusServer prometheus = PrometheusServer.start(REPOSITORY, compose, addresses, work.resolve("prometheus"))) {
            await("every target up").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(prometheus.targets()).containsOnlyKeys(COMPOSE_SERVICES.values()).allSatisfy((application, health) ->
                            assertThat(health).as(application).isEqualTo("up")));
            // honor_labels: the services' own application label is kept, and is the one the rules and dashboards use.
            await("series of every application").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(prometheus.applicationsWith("process_uptime_seconds"))
                            .containsExactlyInAnyOrderElementsOf(COMPOSE_SERVICES.values()));
            prometheus.assertShippedRulesLoaded();
        }
    }

    private int containerPort(String service) {
        return Integer.parseInt(compose.buildArguments(service).get("SERVICE_PORT"));
    }

    /**
     * PostgreSQL as the postgres image runs it: password authentication (scram-sha-256, no trust), the superuser's
     * password from compose, and compose's init script run once.
     */
    private EmbeddedPostgresServer startPostgres() {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(work.resolve("postgres"), ports.postgres());
        Map<String, String> environment = compose.environment("postgres");
        String superuser = environment.get("POSTGRES_USER");
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.username(), postgres.password());
             Statement statement = connection.createStatement()) {
            ResultSet hba = statement.executeQuery("SHOW hba_file");
            hba.next();
            Files.write(Path.of(hba.getString(1)), List.of(
                    "host all all 127.0.0.1/32 scram-sha-256", "host all all ::1/128 scram-sha-256",
                    "host replication all 127.0.0.1/32 scram-sha-256", "host replication all ::1/128 scram-sha-256"));
            statement.execute("ALTER ROLE " + superuser + " PASSWORD '" + environment.get("POSTGRES_PASSWORD").replace("'", "''") + "'");
            statement.execute("SELECT pg_reload_conf()");
        } catch (Exception e) {
            postgres.close();
            throw new IllegalStateException("Cannot prepare PostgreSQL as compose's", e);
        }
        Map<String, String> init = new LinkedHashMap<>(environment);
        init.putAll(Map.of("PGHOST", "127.0.0.1", "PGPORT", String.valueOf(ports.postgres()),
                "PGPASSWORD", environment.get("POSTGRES_PASSWORD")));
        HostCommand.runOk(REPOSITORY, init, Duration.ofMinutes(1), List.of("bash", "compose/postgres/init-databases.sh"));
        return postgres;
    }

    private String placeOrder(GatewayClient gateway, String token, String productId) {
        Map<String, Object> body = Map.of("currency", "EUR", "lines", List.of(Map.of("productId", productId, "quantity", 2)),
                "customer", Map.of("name", "Alice Example", "email", "alice@example.com", "phone", "+49 30 1234567"),
                "shippingAddress", Map.of("line1", "Hauptstrasse 1", "postalCode", "10115", "city", "Berlin", "country", "DE"));
        String idempotencyKey = UUID.randomUUID().toString();
        AtomicReference<GatewayClient.Response> placed = new AtomicReference<>();
        // order-service learns the price from the catalog's event, relayed by sync-service: a moment after the
        // product was created, the price may not be known yet (400, nothing written), so the same request is repeated.
        await("order accepted").atMost(SAGA_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            GatewayClient.Response response = gateway.post("/api/orders", token, body, Map.of("Idempotency-Key", idempotencyKey));
            placed.set(response);
            assertThat(response.status() == 201 || response.body().contains("no price is known"))
                    .as("place order: %s %s", response.status(), response.body()).isTrue();
            return response.status() == 201;
        });
        return placed.get().json().path("id").asString();
    }

    /** A token as the gateway would sign it, with the key and key id compose gives the gateway. */
    private String signedWithGatewayKey(String subject, String issuer) throws Exception {
        Map<String, String> gateway = compose.environment("gateway");
        String pem = gateway.get("POLYSTORE_IDENTITY_SIGNINGKEYS_0_PEM")
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        RSAPrivateKey key = (RSAPrivateKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        Instant now = Instant.now();
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(gateway.get("POLYSTORE_IDENTITY_SIGNINGKEYS_0_ID")).build(),
                new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience("polystore")
                        .claim("roles", List.of("CUSTOMER")).issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString()).build());
        token.sign(new RSASSASigner(key));
        return token.serialize();
    }
}
