package io.polystore.deployment.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policies a platform team checks before it admits a chart, over every ci/ scenario: locked-down pods with
 * probes and limits, disruption budgets, deny-by-default network policies, credentials only in Secrets, rollouts
 * that keep the wanted replicas and pods that stop gracefully.
 */
class ChartPolicyIT {

    static final List<String> scenarios = PolystoreChart.CI_VALUES;
    /** Environment variables that carry credentials: never a literal, never in a ConfigMap. */
    private static final Pattern CREDENTIAL_VARIABLE =
            Pattern.compile("(?i).*(PASSWORD|_PASS|SECRET|MASTERKEY|DIGESTKEY|KEYSET|SIGNINGKEY|_PEM)|SPRING_APPLICATION_JSON");

    @ParameterizedTest(name = "ci/{0}-values.yaml")
    @FieldSource("scenarios")
    void everyPodRunsLockedDownWithLimits(String scenario) {
        Workloads.podTemplates(PolystoreChart.rendering(scenario)).forEach((workload, pod) -> {
            PodSecurityContext podSecurity = Objects.requireNonNull(pod.getSpec().getSecurityContext(), workload + " securityContext");
            assertThat(pod.getSpec().getAutomountServiceAccountToken()).as("%s mounts no API token", workload).isFalse();
            for (Container container : pod.getSpec().getContainers()) {
                String name = workload + "/" + container.getName();
                SecurityContext security = Objects.requireNonNull(container.getSecurityContext(), name + " securityContext");
                assertThat(Optional.ofNullable(security.getRunAsNonRoot()).orElse(podSecurity.getRunAsNonRoot())).as("%s runAsNonRoot", name).isTrue();
                assertThat(security.getAllowPrivilegeEscalation()).as("%s allowPrivilegeEscalation", name).isFalse();
                assertThat(security.getReadOnlyRootFilesystem()).as("%s readOnlyRootFilesystem", name).isTrue();
                assertThat(security.getCapabilities().getDrop()).as("%s drops", name).containsExactly("ALL");
                assertThat(security.getCapabilities().getAdd()).as("%s adds", name).isNullOrEmpty();
                var seccomp = Optional.ofNullable(security.getSeccompProfile()).orElse(podSecurity.getSeccompProfile());
                assertThat(seccomp.getType()).as("%s seccomp", name).isEqualTo("RuntimeDefault");
                assertThat(container.getResources().getRequests()).as("%s requests", name).containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).as("%s limits", name).containsKeys("cpu", "memory");
            }
        });
    }

    @ParameterizedTest(name = "ci/{0}-values.yaml")
    @FieldSource("scenarios")
    void everyLongRunningContainerHasStartupLivenessAndReadinessProbes(String scenario) {
        Rendering rendering = PolystoreChart.rendering(scenario);
        assertThat(Workloads.longRunningContainers(rendering)).allSatisfy((name, container) -> {
            assertThat(container.getStartupProbe()).as("%s startupProbe", name).isNotNull();
            assertThat(container.getLivenessProbe()).as("%s livenessProbe", name).isNotNull();
            assertThat(container.getReadinessProbe()).as("%s readinessProbe", name).isNotNull();
        });
        // The services' probes are Spring Boot's health groups: liveness never depends on a store, readiness does.
        rendering.all(Deployment.class).forEach(deployment -> {
            Container service = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
            assertThat(service.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(service.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(service.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
            assertThat(service.getVolumeMounts()).as("%s writable /tmp", deployment.getMetadata().getName())
                    .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
        });
    }

    @ParameterizedTest(name = "ci/{0}-values.yaml")
    @FieldSource("scenarios")
    void eachServiceRunsAsItsOwnServiceAccountWithoutAToken(String scenario) {
        Rendering rendering = PolystoreChart.rendering(scenario);
        rendering.all(Deployment.class).forEach(deployment -> {
            String account = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
            assertThat(account).isEqualTo(deployment.getMetadata().getName());
            assertThat(rendering.named(ServiceAccount.class, account).getAutomountServiceAccountToken()).isFalse();
        });
    }

    /**
     * Rollouts keep the wanted replicas (a new pod is ready before an old one goes), pods spread over zones and
     * nodes, and a pod has longer to stop than the service's graceful shutdown takes: the preStop pause, then the web
     * server's drain and the Kafka listeners' stop, each bounded by Spring's timeout per shutdown phase.
     */
    @ParameterizedTest(name = "ci/{0}-values.yaml")
    @FieldSource("scenarios")
    void deploymentsRollWithoutLosingReplicasSpreadAndStopGracefully(String scenario) throws IOException {
        Duration shutdownPhase = Duration.parse("PT" + serviceDefaults().getProperty("spring.lifecycle.timeout-per-shutdown-phase").toUpperCase());
        PolystoreChart.rendering(scenario).all(Deployment.class).forEach(deployment -> {
            String name = deployment.getMetadata().getName();
            PodTemplateSpec pod = deployment.getSpec().getTemplate();
            assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
            assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).as(name).isZero();
            assertThat(pod.getMetadata().getAnnotations()).as(name).containsKey("checksum/config");
            assertThat(pod.getSpec().getTopologySpreadConstraints()).as(name)
                    .extracting(constraint -> constraint.getTopologyKey())
                    .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
            assertThat(pod.getSpec().getTopologySpreadConstraints()).allSatisfy(constraint ->
                    assertThat(Workloads.selects(constraint.getLabelSelector(), pod.getMetadata().getLabels())).isTrue());
            long preStop = Optional.ofNullable(pod.getSpec().getContainers().getFirst().getLifecycle())
                    .map(lifecycle -> lifecycle.getPreStop().getSleep().getSeconds()).orElse(0L);
            assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).as(name)
                    .isGreaterThan(preStop + 2 * shutdownPhase.toSeconds());
        });
    }

    @ParameterizedTest(name = "ci/{0}-values.yaml")
    @FieldSource("scenarios")
    void everyDeploymentWithMoreThanOneReplicaHasADisruptionBudget(String scenario) {
        Rendering rendering = PolystoreChart.rendering(scenario);
        rendering.all(Deployment.class).forEach(deployment -> {
            String name = deployment.getMetadata().getName();
            Optional<HorizontalPodAutoscaler> autoscaler = rendering.all(HorizontalPodAutoscaler.class).stream()
                    .filter(hpa -> hpa.getSpec().getScaleTargetRef().getName().equals(name)).findFirst();
            // Under an autoscaler the Deployment leaves replicas to it, so that an upgrade does not reset them.
            assertThat(deployment.getSpec().getReplicas() == null).as("%s replicas left to its autoscaler", name).isEqualTo(autoscaler.isPresent());
            int replicas = autoscaler.map(hpa -> hpa.getSpec().getMinReplicas()).orElse(deployment.getSpec().getReplicas());
            List<PodDisruptionBudget> budgets = rendering.all(PodDisruptionBudget.class).stream()
                    .filter(budget -> Workloads.selects(budget.getSpec().getSelector(), deployment.getSpec().getTemplate().getMetadata().getLabels()))
                    .toList();
            if (replicas > 1) {
                assertThat(budgets).as("%s with %d replicas", name, replicas).singleElement()
                        .satisfies(budget -> assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isBetween(1, replicas - 1));
            } else {
                assertThat(budgets).as("%s with one replica: a budget would block every drain", name).isEmpty();
            }
        });
    }

    /**
     * Every pod is selected by the release's deny-all policy and by a policy of its own that opens only named
     * peers: no ingress rule without sources, no egress rule open to everything.
     */
    @ParameterizedTest(name = "ci/{0}-values.yaml")
    @FieldSource("scenarios")
    void everyPodIsSelectedByDenyByDefaultNetworkPolicies(String scenario) {
        Rendering rendering = PolystoreChart.rendering(scenario);
        List<NetworkPolicy> policies = rendering.all(NetworkPolicy.class);
        NetworkPolicy denyAll = rendering.named(NetworkPolicy.class, "polystore-default-deny");
        assertThat(denyAll.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(denyAll.getSpec().getIngress()).isNullOrEmpty();
        assertThat(denyAll.getSpec().getEgress()).isNullOrEmpty();

        Workloads.podTemplates(rendering).forEach((workload, pod) -> {
            Map<String, String> labels = pod.getMetadata().getLabels();
            assertThat(Workloads.selects(denyAll.getSpec().getPodSelector(), labels)).as("%s denied by default", workload).isTrue();
            assertThat(policies).as("%s has a policy of its own", workload).anySatisfy(policy -> {
                assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                        .containsEntry("app.kubernetes.io/component", labels.get("app.kubernetes.io/component"));
                assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            });
        });
        policies.forEach(policy -> {
            String name = policy.getMetadata().getName();
            Objects.requireNonNullElse(policy.getSpec().getIngress(), List.<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule>of())
                    .forEach(rule -> assertThat(rule.getFrom()).as("%s: an ingress rule names its sources", name).isNotEmpty());
            Objects.requireNonNullElse(policy.getSpec().getEgress(), List.<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule>of())
                    .forEach(rule -> assertThat(rule.getPorts()).as("%s: an egress rule is limited to ports", name).isNotEmpty());
        });
    }

    /** Passwords and keys reach the pods only from Secrets: never written into a ConfigMap or a literal variable. */
    @ParameterizedTest(name = "ci/{0}-values.yaml")
    @FieldSource("scenarios")
    void credentialsLiveOnlyInSecrets(String scenario) {
        Rendering rendering = PolystoreChart.rendering(scenario);
        List<String> secretValues = rendering.all(Secret.class).stream()
                .flatMap(secret -> Rendering.decoded(secret).values().stream()).filter(value -> !value.isBlank()).toList();
        if (scenario.equals("dev")) {
            assertThat(secretValues).as("the dev values' inline credentials").hasSizeGreaterThan(10);
        }

        for (ConfigMap configMap : rendering.all(ConfigMap.class)) {
            Objects.requireNonNullElse(configMap.getData(), Map.<String, String>of()).forEach((key, value) -> {
                assertThat(key).as("ConfigMap %s", configMap.getMetadata().getName()).doesNotMatch(CREDENTIAL_VARIABLE);
                assertThat(secretValues).as("ConfigMap %s/%s", configMap.getMetadata().getName(), key).noneMatch(value::contains);
            });
        }
        Workloads.podTemplates(rendering).forEach((workload, pod) -> pod.getSpec().getContainers().forEach(container -> {
            for (EnvVar variable : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
                if (CREDENTIAL_VARIABLE.matcher(variable.getName()).matches()) {
                    assertThat(variable.getValueFrom().getSecretKeyRef()).as("%s %s from a Secret", workload, variable.getName()).isNotNull();
                }
                if (variable.getValue() != null) {
                    assertThat(secretValues).as("%s %s", workload, variable.getName()).noneMatch(variable.getValue()::contains);
                }
            }
        }));
    }

    /** A changed setting changes the pod template of the services it concerns, so that they roll, and only theirs. */
    @Test
    void aConfigurationChangeRollsThePodsItConcerns() throws IOException {
        Path changed = Files.createTempFile(Files.createDirectories(PolystoreChart.repository().resolve("deployment-tests/target/helm")), "changed", ".yaml");
        Files.writeString(changed, "orderService:\n  env:\n    POLYSTORE_ORDERS_MAXLINES: \"20\"\n");
        Rendering before = PolystoreChart.rendering("dev");
        Rendering after = PolystoreChart.render(PolystoreChart.renderableCopy(PolystoreChart.directory()), PolystoreChart.ciValues("dev"), changed);

        assertThat(checksum(after, "polystore-order-service")).isNotEqualTo(checksum(before, "polystore-order-service"));
        for (String unchanged : List.of("polystore-gateway", "polystore-catalog-service", "polystore-sync-service", "polystore-audit-service")) {
            assertThat(checksum(after, unchanged)).as(unchanged).isEqualTo(checksum(before, unchanged));
        }
    }

    private static String checksum(Rendering rendering, String deployment) {
        return rendering.named(Deployment.class, deployment).getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
    }

    private static Properties serviceDefaults() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(PolystoreChart.repository()
                .resolve("platform-service-defaults/src/main/resources/polystore-defaults.properties"))) {
            properties.load(in);
        }
        return properties;
    }
}
