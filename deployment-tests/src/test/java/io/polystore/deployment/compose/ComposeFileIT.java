package io.polystore.deployment.compose;

import io.polystore.deployment.support.HostCommand;
import io.polystore.deployment.support.Repository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml} and {@code .env} as shipped, checked by Docker Compose itself ({@code docker-compose
 * config}, Debian's docker-compose 1.29) and against the properties the README promises: health checks, restarts,
 * memory that fits a 16 GiB laptop, only three published ports, pinned images named as the Helm chart names them.
 */
class ComposeFileIT {

    private static final Path REPOSITORY = Repository.root();
    private static final Set<String> POLYSTORE_SERVICES = Set.of("gateway", "order-service", "catalog-service", "sync-service", "audit-service");
    private static final long MEMORY_BUDGET_BYTES = 8L << 30;

    private static ComposeConfig compose;

    @TempDir
    Path copy;

    @BeforeAll
    static void resolve() {
        compose = ComposeConfig.resolve(REPOSITORY);
    }

    @Test
    void dockerComposeConfigAcceptsTheShippedFile() {
        HostCommand.Result result = config(REPOSITORY);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ORDER_SERVICE_MASTER_KEY", "ORDER_SERVICE_CUSTOMER_DIGEST_KEY"})
    void aMissingSecretStopsDockerComposeWithItsName(String secret) throws Exception {
        Files.copy(REPOSITORY.resolve("docker-compose.yml"), copy.resolve("docker-compose.yml"));
        Files.write(copy.resolve(".env"), Files.readAllLines(REPOSITORY.resolve(".env")).stream()
                .filter(line -> !line.startsWith(secret + "=")).toList());

        HostCommand.Result result = config(copy);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("set " + secret + " in .env");
    }

    @Test
    void aMisspeltKeyFailsDockerComposeConfig() throws Exception {
        Files.copy(REPOSITORY.resolve(".env"), copy.resolve(".env"));
        Files.writeString(copy.resolve("docker-compose.yml"), Files.readString(REPOSITORY.resolve("docker-compose.yml"))
                .replaceFirst("\n    healthcheck:\n", "\n    helthcheck:\n"));

        HostCommand.Result result = config(copy);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("helthcheck");
    }

    @Test
    void everyContainerHasAHealthCheckARestartPolicyLogRotationAndAMemoryLimit() {
        long total = 0;
        for (String name : compose.serviceNames()) {
            Map<String, Object> service = compose.service(name);
            assertThat(compose.healthcheck(name)).as(name).isNotEmpty().first().isEqualTo("CMD");
            assertThat(service.get("restart")).as(name).isEqualTo("unless-stopped");
            assertThat(service.get("logging")).as(name).isEqualTo(Map.of("driver", "json-file",
                    "options", Map.of("max-size", "10m", "max-file", "3")));
            assertThat(service.get("mem_limit")).as("%s: mem_limit", name).isNotNull();
            total += bytes(String.valueOf(service.get("mem_limit")));
            dependencies(name).forEach((dependency, condition) ->
                    assertThat(condition).as("%s on %s", name, dependency).isEqualTo("service_healthy"));
        }
        assertThat(total).as("memory limits, all containers").isLessThanOrEqualTo(MEMORY_BUDGET_BYTES);
    }

    @Test
    void onlyTheGatewayPrometheusAndGrafanaArePublished() {
        Map<String, Object> published = new TreeMap<>();
        compose.serviceNames().forEach(name -> {
            Object ports = compose.service(name).get("ports");
            if (ports != null) {
                published.put(name, ports);
            }
        });

        assertThat(published).isEqualTo(Map.of("gateway", List.of(Map.of("published", 8080, "target", 8080)),
                "prometheus", List.of(Map.of("published", 9090, "target", 9090)),
                "grafana", List.of(Map.of("published", 3000, "target", 3000))));
        assertThat(compose.environment("gateway").get("POLYSTORE_IDENTITY_ISSUERURI")).isEqualTo("http://localhost:8080");
    }

    @Test
    void servicesAreBuiltFromThisRepositoryAndNamedAsTheHelmChartNamesThem() {
        String version = Repository.projectVersion();
        for (String name : POLYSTORE_SERVICES) {
            assertThat(compose.service(name).get("image")).as(name).isEqualTo("docker.io/polystore/" + name + ":" + version);
            Map<String, String> arguments = compose.buildArguments(name);
            assertThat(arguments).as(name).containsEntry("SERVICE", name).containsEntry("VERSION", version).containsKeys("SERVICE_PORT");
        }
        compose.serviceNames().stream().filter(name -> !POLYSTORE_SERVICES.contains(name)).forEach(name ->
                assertThat(String.valueOf(compose.service(name).get("image"))).as("%s is pinned", name)
                        .matches("[a-z/]+:v?\\d+\\.\\d+(\\.\\d+)?"));
    }

    @Test
    void storesKeepTheirDataInNamedVolumes() {
        assertThat(compose.volumes()).containsOnlyKeys("postgres-data", "kafka-data", "surrealdb-data", "prometheus-data", "grafana-data");
        assertThat(compose.list("postgres", "volumes")).contains("postgres-data:/var/lib/postgresql/data:rw");
        assertThat(compose.list("kafka", "volumes")).contains("kafka-data:/var/lib/kafka/data:rw");
        assertThat(compose.list("surrealdb", "volumes")).contains("surrealdb-data:/data:rw");
        assertThat(compose.list("surrealdb", "command")).last().isEqualTo("rocksdb:/data/polystore");
        assertThat(compose.list("postgres", "command")).contains("wal_level=logical");
    }

    @Test
    void prometheusAndGrafanaProvisionTheRulesAndDashboardsOfTheHelmChart() throws Exception {
        assertThat(compose.hostPath("prometheus", "/etc/prometheus/rules/polystore-alerts.yml"))
                .isEqualTo(REPOSITORY.resolve("helm/polystore/files/prometheus/polystore-alerts.yml"));
        assertThat(compose.hostPath("grafana", "/etc/grafana/dashboards/polystore"))
                .isEqualTo(REPOSITORY.resolve("helm/polystore/files/dashboards"));

        Map<String, Object> dashboards = yaml(compose.hostPath("grafana", "/etc/grafana/provisioning/dashboards/polystore.yml"));
        assertThat(dashboards).extractingByKey("providers").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .singleElement().extracting("options").extracting("path").isEqualTo("/etc/grafana/dashboards/polystore");
        Map<String, Object> datasources = yaml(compose.hostPath("grafana", "/etc/grafana/provisioning/datasources/prometheus.yml"));
        assertThat(datasources).extractingByKey("datasources").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .singleElement().extracting("url").isEqualTo("http://prometheus:9090");

        Map<String, String> grafana = compose.environment("grafana");
        assertThat(grafana).containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "false").containsEntry("GF_USERS_ALLOW_SIGN_UP", "false");
        assertThat(grafana.get("GF_SECURITY_ADMIN_PASSWORD")).isNotBlank().isNotEqualTo("admin");
    }

    @Test
    void theEnvFileNamesTheProjectsVersion() throws Exception {
        assertThat(Files.readAllLines(REPOSITORY.resolve(".env"))).contains("POLYSTORE_VERSION=" + Repository.projectVersion());
    }

    private static HostCommand.Result config(Path directory) {
        return HostCommand.run(directory, Map.of(), Duration.ofMinutes(1), List.of("docker-compose", "config", "-q"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> dependencies(String name) {
        Object dependsOn = compose.service(name).get("depends_on");
        if (dependsOn == null) {
            return Map.of();
        }
        return ((Map<String, Map<String, String>>) dependsOn).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().get("condition")));
    }

    private static long bytes(String size) {
        long number = Long.parseLong(size.replaceAll("[^0-9]", ""));
        return switch (size.replaceAll("[0-9]", "").toLowerCase()) {
            case "", "b" -> number;
            case "k", "kb" -> number << 10;
            case "m", "mb" -> number << 20;
            case "g", "gb" -> number << 30;
            default -> throw new IllegalArgumentException("Unknown size " + size);
        };
    }

    private static Map<String, Object> yaml(Path file) throws Exception {
        return new Yaml().load(Files.readString(file));
    }
}
