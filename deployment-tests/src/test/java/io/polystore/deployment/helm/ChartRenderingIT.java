package io.polystore.deployment.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.polystore.deployment.compose.ComposeConfig;
import io.polystore.deployment.support.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every ci/ scenario renders, every document parses strictly into its model, every object carries the standard
 * labels, and the services run the images the repository builds, on the ports they listen on.
 */
class ChartRenderingIT {

    static final List<String> scenarios = PolystoreChart.CI_VALUES;
    /** Each service: its port (HTTP, health and metrics), as the services and the images define them. */
    static final Map<String, Integer> SERVICES = Map.of("gateway", 8080, "order-service", 8081, "catalog-service", 8082,
            "sync-service", 8083, "audit-service", 8084);
    static final List<String> STANDARD_LABELS = List.of("app.kubernetes.io/name", "app.kubernetes.io/instance",
            "app.kubernetes.io/version", "app.kubernetes.io/managed-by", "app.kubernetes.io/part-of", "helm.sh/chart");

    @ParameterizedTest(name = "ci/{0}-values.yaml")
    @FieldSource("scenarios")
    void everyDocumentParsesStrictlyIntoItsModel(String scenario) {
        Rendering rendering = PolystoreChart.rendering(scenario);

        assertThat(rendering.manifests()).allSatisfy(manifest -> assertThat(manifest.object())
                .isInstanceOf(StrictManifests.TYPES.get(manifest.raw().get("apiVersion") + "/" + manifest.kind())));
        assertThat(rendering.all(Deployment.class)).extracting(deployment -> deployment.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(SERVICES.keySet().stream().map(service -> "polystore-" + service).toList());
    }

    @ParameterizedTest(name = "ci/{0}-values.yaml")
    @FieldSource("scenarios")
    void everyObjectAndPodCarriesTheStandardLabels(String scenario) {
        Rendering rendering = PolystoreChart.rendering(scenario);

        assertThat(rendering.manifests()).allSatisfy(manifest -> {
            assertThat(manifest.labels()).as("%s %s", manifest.kind(), manifest.name()).containsKeys(STANDARD_LABELS.toArray(String[]::new))
                    .containsEntry("app.kubernetes.io/name", "polystore")
                    .containsEntry("app.kubernetes.io/instance", PolystoreChart.RELEASE)
                    .containsEntry("app.kubernetes.io/managed-by", "Helm")
                    .containsEntry("app.kubernetes.io/part-of", "polystore");
        });
        assertThat(Workloads.podTemplates(rendering)).allSatisfy((workload, pod) -> assertThat(pod.getMetadata().getLabels())
                .as(workload).containsKeys(STANDARD_LABELS.toArray(String[]::new)).containsKey("app.kubernetes.io/component"));
    }

    @ParameterizedTest(name = "ci/{0}-values.yaml")
    @FieldSource("scenarios")
    void eachServiceListensOnItsPortBehindAServiceOfTheSameName(String scenario) {
        Rendering rendering = PolystoreChart.rendering(scenario);

        SERVICES.forEach((service, port) -> {
            Container container = rendering.named(Deployment.class, "polystore-" + service).getSpec().getTemplate().getSpec()
                    .getContainers().getFirst();
            assertThat(container.getPorts()).singleElement().satisfies(containerPort -> {
                assertThat(containerPort.getContainerPort()).isEqualTo(port);
                assertThat(containerPort.getName()).isEqualTo("http");
            });
            assertThat(rendering.named(Service.class, "polystore-" + service).getSpec().getPorts()).singleElement()
                    .satisfies(servicePort -> assertThat(servicePort.getPort()).isEqualTo(port));
        });
    }

    /**
     * The chart's version and appVersion are the project's, and by default each service runs the image compose
     * builds from the repository's Dockerfile ({@code docker.io/polystore/<service>:<version>}, as
     * {@code docker-compose config} resolves it; Docker Hub is the registry a bare name means).
     */
    @Test
    void theServicesRunTheImagesComposeBuildsTaggedWithTheProjectsVersion() throws IOException {
        Rendering rendering = PolystoreChart.rendering("default");
        String version = Repository.projectVersion();
        Map<String, Object> chart = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(PolystoreChart.directory().resolve("Chart.yaml")));
        ComposeConfig compose = ComposeConfig.resolve(PolystoreChart.repository());

        assertThat(chart).containsEntry("appVersion", version).containsEntry("version", version);
        SERVICES.keySet().forEach(service -> {
            String image = rendering.named(Deployment.class, "polystore-" + service).getSpec().getTemplate().getSpec()
                    .getContainers().getFirst().getImage();
            assertThat(image).isEqualTo("polystore/" + service + ":" + version);
            assertThat("docker.io/" + image).as(service).isEqualTo(compose.service(service).get("image"));
        });
    }

    /**
     * With TLS to every store (production values), each connection verifies its store against a mounted CA: every
     * file the environment names under /etc/polystore/tls is mounted, sync-service's relay connection keeps the
     * services' sslmode, and the SurrealDB clients trust the SurrealDB CA's bundle.
     */
    @Test
    void withTlsToEveryStoreEveryCaTheEnvironmentNamesIsMounted() {
        Rendering rendering = PolystoreChart.rendering("production");

        SERVICES.keySet().forEach(service -> {
            String name = "polystore-" + service;
            Container container = rendering.named(Deployment.class, name).getSpec().getTemplate().getSpec()
                    .getContainers().getFirst();
            Map<String, String> environment = rendering.named(ConfigMap.class, name).getData();
            List<String> mounts = container.getVolumeMounts().stream().map(VolumeMount::getMountPath).toList();
            environment.values().stream().filter(value -> value.contains("/etc/polystore/tls/"))
                    .map(value -> value.substring(value.indexOf("/etc/polystore/tls/")).split("[&\\s]")[0])
                    .forEach(file -> assertThat(mounts).as("%s needs %s", service, file)
                            .anySatisfy(mount -> assertThat(file).startsWith(mount + "/")));
        });
        Map<String, String> sync = rendering.named(ConfigMap.class, "polystore-sync-service").getData();
        assertThat(sync).containsEntry("POLYSTORE_SYNC_POSTGRES_SSLMODE", "verify-full")
                .containsEntry("POLYSTORE_SYNC_POSTGRES_SSLROOTCERT", "/etc/polystore/tls/postgresql/ca.crt");
        List.of("catalog-service", "sync-service").forEach(service ->
                assertThat(rendering.named(ConfigMap.class, "polystore-" + service).getData())
                        .containsEntry("POLYSTORE_SURREALDB_SSLBUNDLE", "surrealdb")
                        .containsEntry("SPRING_SSL_BUNDLE_PEM_SURREALDB_TRUSTSTORE_CERTIFICATE", "/etc/polystore/tls/surrealdb/ca.crt"));
    }

    /** One release is one region: every service is told which, where the global catalog is written, and its peers. */
    @Test
    void everyServiceIsToldItsRegionAndWhereTheCatalogIsWritten() throws IOException {
        Rendering replica = renderedWith("region:\n  name: us-east\n  catalogRegion: eu-west\n  peers: [eu-west, ap-south]\n");
        Rendering byDefault = PolystoreChart.rendering("default");

        SERVICES.keySet().forEach(service -> {
            assertThat(replica.named(ConfigMap.class, "polystore-" + service).getData()).as(service)
                    .containsEntry("POLYSTORE_REGION_NAME", "us-east").containsEntry("POLYSTORE_REGION_CATALOGREGION", "eu-west")
                    .containsEntry("POLYSTORE_REGION_PEERS", "eu-west,ap-south");
            assertThat(byDefault.named(ConfigMap.class, "polystore-" + service).getData()).as(service)
                    .containsEntry("POLYSTORE_REGION_NAME", "region-1").doesNotContainKey("POLYSTORE_REGION_CATALOGREGION")
                    .doesNotContainKey("POLYSTORE_REGION_PEERS");
        });
    }

    /**
     * Every region's gateway, for every service: trusted as an issuer and, by the gateway, forwarded to. A map whose
     * keys hold hyphens: each entry is a variable named as the property itself (Spring reads it as it is).
     */
    @Test
    void everyServiceIsToldEveryRegionsGateway() throws IOException {
        Rendering regions = renderedWith("region:\n  name: us-east\n  gateways:\n    us-east: https://us.shop.example\n"
                + "    eu-west: https://eu.shop.example\n");
        Rendering byDefault = PolystoreChart.rendering("default");

        SERVICES.keySet().forEach(service -> {
            assertThat(regions.named(ConfigMap.class, "polystore-" + service).getData()).as(service)
                    .containsEntry("polystore.region.gateways.us-east", "https://us.shop.example")
                    .containsEntry("polystore.region.gateways.eu-west", "https://eu.shop.example");
            assertThat(byDefault.named(ConfigMap.class, "polystore-" + service).getData().keySet()).as(service)
                    .noneMatch(key -> key.startsWith("polystore.region.gateways"));
            // The other region's gateway is reached on its URL's port (the keys; the gateway forwards there).
            assertThat(egressPorts(regions, service)).as(service).contains(443);
            assertThat(egressPorts(byDefault, service)).as(service).doesNotContain(443);
        });
    }

    /**
     * Each pod runs its share of its consumer group's consumers (one per partition over the service's replicas, the
     * autoscaler's minimum), so that none polls without a partition; a service scaled to none counts as one.
     */
    @Test
    void everyServiceIsToldHowManyInstancesShareItsConsumers() throws IOException {
        Rendering scaled = renderedWith("orderService:\n  replicas: 3\ncatalogService:\n  replicas: 0\n");

        assertThat(scaled.named(ConfigMap.class, "polystore-order-service").getData())
                .containsEntry("POLYSTORE_KAFKA_INSTANCES", "3");
        assertThat(scaled.named(ConfigMap.class, "polystore-catalog-service").getData())
                .containsEntry("POLYSTORE_KAFKA_INSTANCES", "1");
        // values.yaml's two replicas.
        assertThat(scaled.named(ConfigMap.class, "polystore-audit-service").getData())
                .containsEntry("POLYSTORE_KAFKA_INSTANCES", "2");
    }

    /** The default scenario with {@code values} on top. */
    private static Rendering renderedWith(String values) throws IOException {
        Path file = Files.createTempFile(Files.createDirectories(PolystoreChart.repository().resolve("deployment-tests/target/helm")),
                "values", ".yaml");
        Files.writeString(file, values);
        return PolystoreChart.render(PolystoreChart.directory(), PolystoreChart.ciValues("default"), file);
    }

    private static List<Integer> egressPorts(Rendering rendering, String service) {
        return rendering.named(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class, "polystore-" + service)
                .getSpec().getEgress().stream().flatMap(rule -> rule.getPorts().stream())
                .map(port -> port.getPort().getIntVal()).toList();
    }

    @Test
    void theStrictParserRefusesAFieldTheModelDoesNotHave() {
        Map<String, Object> misspelt = Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                "metadata", Map.of("name", "x"), "spec", Map.of("replica", 2));

        assertThatThrownBy(() -> StrictManifests.parse("test", misspelt)).hasMessageContaining("\"replica\"");
    }

    @Test
    void theTestPodIsAHelmTestHook() {
        assertThat(PolystoreChart.hookAnnotations()).containsOnlyKeys("gateway-health.yaml");
        assertThat(PolystoreChart.hookAnnotations().get("gateway-health.yaml")).contains("helm.sh/hook: test");
        assertThat(PolystoreChart.rendering("default").ofKind("Pod")).singleElement()
                .satisfies(pod -> assertThat(pod.name()).isEqualTo("polystore-test-gateway-health"));
    }
}
