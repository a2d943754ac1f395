package io.polystore.deployment.helm;

import com.nimbusds.jwt.SignedJWT;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.polystore.deployment.support.BootedDeployment;
import io.polystore.deployment.support.Dockerfile;
import io.polystore.deployment.support.GatewayKeyTokens;
import io.polystore.deployment.support.HostCommand;
import io.polystore.deployment.support.ImagePostgres;
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
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's configuration boots the real services. Rendered with ci/dev-values.yaml, each Deployment's environment
 * is taken as the kubelet would give it (its ConfigMaps and Secrets resolved from the same rendering) on top of the
 * image's own (the Dockerfile's ENV), only the addresses of the cluster's Services rewritten to this machine's
 * ({@code polystore-postgresql:5432}, {@code http://polystore-gateway:8080/oauth2/jwks}, a bare
 * {@code polystore-postgresql}, a {@code *_PORT} of 5432), and the five packaged jars start with exactly that: no
 * profile, no argument but the port. The stores are the testkit's, on ports none of PostgreSQL's, Kafka's or
 * SurrealDB's defaults, prepared as the chart's try-out StatefulSets prepare theirs: PostgreSQL with password
 * authentication, the StatefulSet's superuser password and the chart's init script run by psql with the
 * StatefulSet's environment (so the roles, databases and passwords are the ones the chart makes); SurrealDB with the
 * StatefulSet's root credentials. An order is then confirmed through the gateway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChartPlatformIT {

    private static final Path REPOSITORY = Repository.root();

    private final Path work = REPOSITORY.resolve("deployment-tests/target/helm-platform");
    private final Rendering rendering = PolystoreChart.rendering("dev");
    private PlatformPorts ports;
    private BootedDeployment deployment;
    private PackagedServices services;

    @BeforeAll
    void start() throws Exception {
        FileSystemUtils.deleteRecursively(work);
        Files.createDirectories(work);
        ports = PlatformPorts.free();
        assertThat(List.of(ports.postgres(), ports.kafka(), ports.surrealDb())).doesNotContain(5432, 9092, 8000);

        Map<String, String> surrealDb = storeEnvironment("polystore-surrealdb");
        deployment = BootedDeployment.startStores(work, ports, this::startPostgres, surrealDb.get("SURREAL_USER"), surrealDb.get("SURREAL_PASS"));

        Map<String, Integer> localPorts = new LinkedHashMap<>(Map.of("polystore-postgresql", ports.postgres(),
                "polystore-kafka", ports.kafka(), "polystore-surrealdb", ports.surrealDb()));
        Arrays.stream(PlatformService.values()).forEach(service -> localPorts.put("polystore-" + service.moduleName(), service.port(ports)));
        assertThat(rendering.all(Service.class)).extracting(service -> service.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(localPorts.keySet());
        NetworkAddresses addresses = new NetworkAddresses(localPorts.entrySet().stream()
                .map(service -> new NetworkAddresses.Endpoint(service.getKey(), rendering.servicePort(service.getKey()), service.getValue()))
                .toList());

        Dockerfile.Stage image = Dockerfile.read(REPOSITORY.resolve("Dockerfile")).finalStage();
        Map<PlatformService, PackagedServices.Launch> launches = new EnumMap<>(PlatformService.class);
        for (PlatformService service : PlatformService.values()) {
            Container container = rendering.named(Deployment.class, "polystore-" + service.moduleName())
                    .getSpec().getTemplate().getSpec().getContainers().getFirst();
            Map<String, String> environment = new LinkedHashMap<>(Dockerfile.environment(image, Map.of(
                    "SERVICE", service.moduleName(), "SERVICE_PORT", String.valueOf(container.getPorts().getFirst().getContainerPort()))));
            environment.putAll(rendering.environment(container));
            launches.put(service, new PackagedServices.Launch(service.port(ports), addresses.rewrite(environment)));
        }
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
        JsonNode order = OrderThroughTheGateway.placeAndConfirm(services.gatewayUrl(), "HELM");

        // Readable: order-service's master key from the chart's Secret.
        assertThat(order.path("personalData").path("name").asString()).isEqualTo("Alice Example");
    }

    /**
     * Tokens name the gateway's public URL as issuer, while the services fetch its keys from its Service (Boot's
     * jwk-set-uri and issuer-uri both set): they accept the gateway's tokens and check the issuer too, refusing a
     * token signed with the gateway's own key that names the Service's address as issuer.
     */
    @Test
    void theServicesTrustTheGatewaysKeysOnlyForItsPublicIssuer() throws Exception {
        String alice = GatewaySignIn.accessToken(services.gatewayUrl(), "alice", "polystore");
        GatewayClient orderService = new GatewayClient(URI.create("http://127.0.0.1:" + PlatformService.ORDERS.port(ports)));
        String issuer = rendering.configMapValue("polystore-gateway", "POLYSTORE_IDENTITY_ISSUERURI");
        String key = rendering.secretValue("polystore-inline-credentials", "gateway-signing-key-0");
        String keyId = rendering.configMapValue("polystore-gateway", "POLYSTORE_IDENTITY_SIGNINGKEYS_0_ID");

        assertThat(SignedJWT.parse(alice).getJWTClaimsSet().getIssuer()).isEqualTo(issuer)
                .isEqualTo(rendering.configMapValue("polystore-order-service", "POLYSTORE_ISSUER_URI"))
                .isEqualTo("http://localhost:8080");
        assertThat(rendering.configMapValue("polystore-order-service", "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWKSETURI"))
                .isEqualTo("http://polystore-gateway:8080/oauth2/jwks");
        assertThat(orderService.get("/orders", alice).status()).isEqualTo(200);
        assertThat(orderService.get("/orders", GatewayKeyTokens.customerToken(key, keyId, "alice", issuer)).status()).isEqualTo(200);
        assertThat(orderService.get("/orders", GatewayKeyTokens.customerToken(key, keyId, "alice", "http://polystore-gateway:8080")).status())
                .isEqualTo(401);
        assertThat(orderService.get("/orders", null).status()).isEqualTo(401);
    }

    /**
     * {@code helm test}'s pod, its command run as the chart writes it (the gateway's Service address rewritten):
     * it passes against the running gateway and fails where no gateway answers.
     */
    @Test
    void theHelmTestCommandChecksTheGatewaysHealth() {
        HostCommand.requireInstalled("wget", "wget");
        Container check = rendering.named(Pod.class, "polystore-test-gateway-health").getSpec().getContainers().getFirst();
        List<String> command = new ArrayList<>(check.getCommand());
        command.addAll(check.getArgs());

        assertThat(runAgainstGatewayAt(command, PlatformService.GATEWAY.port(ports)).exitCode()).isZero();
        assertThat(runAgainstGatewayAt(command, PlatformPorts.free().gateway()).exitCode()).isNotZero();
    }

    private HostCommand.Result runAgainstGatewayAt(List<String> command, int port) {
        NetworkAddresses gateway = new NetworkAddresses(List.of(new NetworkAddresses.Endpoint("polystore-gateway", 8080, port)));
        return HostCommand.run(REPOSITORY, Map.of(), Duration.ofSeconds(30),
                command.stream().map(part -> gateway.rewrite("command", part)).toList());
    }

    /** The try-out PostgreSQL as the chart runs it: its superuser's password, then its init script with its environment. */
    private EmbeddedPostgresServer startPostgres() {
        Map<String, String> environment = storeEnvironment("polystore-postgresql");
        String password = environment.get("POSTGRES_PASSWORD");
        EmbeddedPostgresServer postgres = ImagePostgres.start(work.resolve("postgres"), ports.postgres(), environment.get("POSTGRES_USER"), password);
        try {
            Path script = work.resolve("polystore-init.sh");
            Files.writeString(script, rendering.configMapValue("polystore-postgresql-init", "polystore-init.sh"));
            ImagePostgres.runInitScript(REPOSITORY, script, environment, ports.postgres(), password);
            return postgres;
        } catch (Exception e) {
            postgres.close();
            throw new IllegalStateException("The chart's PostgreSQL init script failed", e);
        }
    }

    private Map<String, String> storeEnvironment(String statefulSet) {
        return rendering.environment(rendering.named(StatefulSet.class, statefulSet).getSpec().getTemplate().getSpec().getContainers().getFirst());
    }
}
