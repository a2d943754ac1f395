package io.polystore.deployment.compose;

import com.nimbusds.jwt.SignedJWT;
import io.polystore.deployment.support.BootedDeployment;
import io.polystore.deployment.support.Dockerfile;
import io.polystore.deployment.support.GatewayKeyTokens;
import io.polystore.deployment.support.HostCommand;
import io.polystore.deployment.support.ImagePostgres;
import io.polystore.deployment.support.ImageRuntime;
import io.polystore.deployment.support.NetworkAddresses;
import io.polystore.deployment.support.OrderThroughTheGateway;
import io.polystore.deployment.support.Repository;
import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.GatewaySignIn;
import io.polystore.testkit.platform.PackagedServices;
import io.polystore.testkit.platform.PlatformPorts;
import io.polystore.testkit.platform.PlatformService;
import io.polystore.testkit.postgres.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private static final Path REPOSITORY = Repository.root();
    private static final Map<PlatformService, String> COMPOSE_SERVICES = Map.of(
            PlatformService.GATEWAY, "gateway", PlatformService.ORDERS, "order-service",
            PlatformService.CATALOG, "catalog-service", PlatformService.SYNC, "sync-service",
            PlatformService.AUDIT, "audit-service");

    private final Path work = REPOSITORY.resolve("deployment-tests/target/compose-platform");
    private ComposeConfig compose;
    private PlatformPorts ports;
    private NetworkAddresses addresses;
    private BootedDeployment deployment;
    private PackagedServices services;

    @BeforeAll
    void start() throws Exception {
        compose = ComposeConfig.resolve(REPOSITORY);
        FileSystemUtils.deleteRecursively(work);
        Files.createDirectories(work);
        ports = PlatformPorts.free();
        assertThat(List.of(ports.postgres(), ports.kafka(), ports.surrealDb())).doesNotContain(5432, 9092, 8000);

        Map<String, String> surrealDb = compose.environment("surrealdb");
        deployment = BootedDeployment.startStores(work, ports, this::startPostgres, surrealDb.get("SURREAL_USER"), surrealDb.get("SURREAL_PASS"));

        List<NetworkAddresses.Endpoint> endpoints = new ArrayList<>(List.of(
                new NetworkAddresses.Endpoint("postgres", 5432, ports.postgres()),
                new NetworkAddresses.Endpoint("kafka", 9092, ports.kafka()),
                new NetworkAddresses.Endpoint("surrealdb", 8000, ports.surrealDb())));
        COMPOSE_SERVICES.forEach((service, name) -> endpoints.add(
                new NetworkAddresses.Endpoint(name, containerPort(name), service.port(ports))));
        addresses = new NetworkAddresses(endpoints);

        Dockerfile.Stage image = Dockerfile.read(REPOSITORY.resolve("Dockerfile")).finalStage();
        Map<PlatformService, PackagedServices.Launch> launches = new EnumMap<>(PlatformService.class);
        COMPOSE_SERVICES.forEach((service, name) -> {
            Map<String, String> environment = new LinkedHashMap<>(Dockerfile.environment(image, compose.buildArguments(name)));
            environment.putAll(compose.environment(name));
            launches.put(service, new PackagedServices.Launch(service.port(ports), addresses.rewrite(environment)));
        });
        services = deployment.startServices(REPOSITORY, launches);
    }

    @AfterAll
    void stop() {
        if (deployment != null) {
            deployment.close();
        }
    }

    @Test
    void anOrderPlacedThroughTheGatewayIsConfirmed() {
        JsonNode order = OrderThroughTheGateway.placeAndConfirm(services.gatewayUrl(), "COMPOSE");

        assertThat(order.path("personalData").path("name").asString()).isEqualTo("Alice Example");
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

    /** The gateway creates the first administrator named in .env, whose password hash it gets from there. */
    @Test
    void theInitialAdministratorSignsInAndManagesAccounts() {
        Map<String, String> gateway = compose.environment("gateway");
        String admin = gateway.get("POLYSTORE_ACCOUNTS_INITIALADMIN_USERNAME");
        assertThat(gateway.get("POLYSTORE_ACCOUNTS_INITIALADMIN_PASSWORD")).startsWith("{bcrypt}$2a$12$");

        String token = GatewaySignIn.accessToken(services.gatewayUrl(), admin, "polystore");

        GatewayClient.Response accounts = new GatewayClient(services.gatewayUrl()).get("/api/accounts?role=ADMIN", token);
        assertThat(accounts.status()).as(accounts.body()).isEqualTo(200);
        assertThat(accounts.json().path("accounts").findValuesAsString("username")).contains(admin, "adam");
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

    /** PostgreSQL as compose's postgres container runs: its superuser password, compose's init script run once. */
    private EmbeddedPostgresServer startPostgres() {
        Map<String, String> environment = compose.environment("postgres");
        EmbeddedPostgresServer postgres = ImagePostgres.start(work.resolve("postgres"), ports.postgres(),
                environment.get("POSTGRES_USER"), environment.get("POSTGRES_PASSWORD"));
        ImagePostgres.runInitScript(REPOSITORY, Path.of("compose/postgres/init-databases.sh"), environment, ports.postgres(),
                environment.get("POSTGRES_PASSWORD"));
        return postgres;
    }

    /** A token as the gateway would sign it, with the key and key id compose gives the gateway. */
    private String signedWithGatewayKey(String subject, String issuer) {
        Map<String, String> gateway = compose.environment("gateway");
        return GatewayKeyTokens.customerToken(gateway.get("POLYSTORE_IDENTITY_SIGNINGKEYS_0_PEM"),
                gateway.get("POLYSTORE_IDENTITY_SIGNINGKEYS_0_ID"), subject, issuer);
    }
}
