package io.polystore.deployment.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The monitoring objects, rendered from a copy of the chart holding stand-in dashboards and rules
 * (src/test/resources/helm/monitoring-fixture), so that the templates are tested whatever the chart's own files are:
 * the ServiceMonitor follows the scrape contract shared with compose, the PrometheusRule carries the rule file as
 * written (Prometheus's own {@code {{ }}} templates untouched) with the values' tuning, and every dashboard becomes a
 * ConfigMap for Grafana's sidecar. The chart's real files, whichever exist, are rendered the same way.
 */
class MonitoringObjectsIT {

    private static final Path FIXTURE = Path.of("src/test/resources/helm/monitoring-fixture").toAbsolutePath();
    private static final String TUNING = """
            monitoring:
              prometheusOperator: always
              serviceMonitor:
                labels: {release: kube-prometheus-stack}
              prometheusRule:
                labels: {release: kube-prometheus-stack}
                alerts:
                  PolystoreReconciliationDrift: {enabled: false}
                  PolystoreServiceDown: {for: 5m, labels: {severity: warning, team: platform}}
              dashboards:
                annotations: {grafana_folder: Polystore}
            """;

    private static Path chart;
    private static Rendering tuned;

    @BeforeAll
    static void renderTheChartWithTheStandIns() throws IOException {
        chart = PolystoreChart.renderableCopy(PolystoreChart.directory());
        for (String folder : List.of("dashboards", "prometheus")) {
            FileSystemUtils.deleteRecursively(chart.resolve("files").resolve(folder));
            FileSystemUtils.copyRecursively(FIXTURE.resolve(folder), chart.resolve("files").resolve(folder));
        }
        tuned = PolystoreChart.render(chart, values("tuning", TUNING));
    }

    @Test
    void theServiceMonitorScrapesEveryServiceUnderItsApplicationName() {
        PrometheusOperator.ServiceMonitor monitor = tuned.all(PrometheusOperator.ServiceMonitor.class).getFirst();

        assertThat(tuned.all(PrometheusOperator.ServiceMonitor.class)).hasSize(1);
        assertThat(monitor.metadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        assertThat(monitor.spec().namespaceSelector().matchNames()).containsExactly(PolystoreChart.NAMESPACE);
        List<String> scraped = tuned.all(Service.class).stream()
                .filter(service -> Workloads.selects(monitor.spec().selector(), service.getMetadata().getLabels()))
                .map(service -> service.getMetadata().getName()).toList();
        assertThat(scraped).containsExactlyInAnyOrderElementsOf(ChartRenderingIT.SERVICES.keySet().stream()
                .map(service -> "polystore-" + service).toList());
        assertThat(monitor.spec().endpoints()).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.port()).isEqualTo("http");
            assertThat(endpoint.path()).isEqualTo("/actuator/prometheus");
            assertThat(endpoint.honorLabels()).isTrue();
            // application=<spring.application.name>, which is each Service's component label.
            assertThat(endpoint.relabelings()).singleElement().satisfies(relabel -> {
                assertThat(relabel.sourceLabels()).containsExactly("__meta_kubernetes_service_label_app_kubernetes_io_component");
                assertThat(relabel.targetLabel()).isEqualTo("application");
            });
        });
        tuned.all(Service.class).stream().filter(service -> scraped.contains(service.getMetadata().getName())).forEach(service ->
                assertThat(service.getMetadata().getLabels().get("app.kubernetes.io/component"))
                        .isEqualTo(service.getMetadata().getName().substring("polystore-".length())));
    }

    @Test
    void thePrometheusRuleCarriesTheRuleFileWithTheValuesTuning() throws IOException {
        PrometheusOperator.PrometheusRule rule = tuned.all(PrometheusOperator.PrometheusRule.class).getFirst();
        Map<String, Object> file = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(FIXTURE.resolve("prometheus/polystore-alerts.yml")));

        assertThat(rule.metadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        assertThat(rule.spec().groups()).extracting(PrometheusOperator.RuleGroup::name).containsExactly("polystore-services", "polystore-sync");
        assertThat(rule.spec().groups().get(1).interval()).isEqualTo("30s");
        List<PrometheusOperator.Rule> rules = rule.spec().groups().stream().flatMap(group -> group.rules().stream()).toList();
        assertThat(rules).extracting(r -> r.alert() != null ? r.alert() : r.record())
                .containsExactly("PolystoreServiceDown", "polystore:http_requests:rate5m", "PolystoreRelayInactive");

        PrometheusOperator.Rule down = rules.getFirst();
        assertThat(down.forDuration()).isEqualTo("5m");
        assertThat(down.labels()).containsEntry("severity", "warning").containsEntry("team", "platform");
        // Prometheus's templates pass through as written: the file is data, never a Helm template.
        assertThat(down.annotations().get("description"))
                .isEqualTo("{{ $labels.application }} on {{ $labels.instance }} has not answered its scrape for 2 minutes.");
        assertThat(down.expr()).isEqualTo(ruleOf(file, "PolystoreServiceDown").get("expr"));
        PrometheusOperator.Rule inactive = rules.get(2);
        assertThat(inactive.forDuration()).isEqualTo("1m");
        assertThat(inactive.labels()).isEqualTo(ruleOf(file, "PolystoreRelayInactive").get("labels"));
        assertThat(inactive.annotations()).isEqualTo(ruleOf(file, "PolystoreRelayInactive").get("annotations"));
    }

    @Test
    void eachDashboardIsAConfigMapForGrafanasSidecar() throws IOException {
        List<ConfigMap> dashboards = dashboards(tuned);

        assertThat(dashboards).extracting(configMap -> configMap.getMetadata().getName())
                .containsExactlyInAnyOrder("polystore-dashboard-polystore-orders", "polystore-dashboard-polystore-sync-cdc");
        for (ConfigMap dashboard : dashboards) {
            assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
            assertThat(dashboard.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Polystore");
        }
        assertThat(dashboards.stream().flatMap(configMap -> configMap.getData().entrySet().stream())
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
                .containsOnlyKeys("polystore-orders.json", "polystore-sync-cdc.json")
                .containsEntry("polystore-orders.json", Files.readString(FIXTURE.resolve("dashboards/polystore-orders.json")).strip())
                .containsEntry("polystore-sync-cdc.json", Files.readString(FIXTURE.resolve("dashboards/Polystore Sync & CDC.json")).strip());
    }

    /** Where Helm cannot see prometheus-operator's API (helm template, a cluster without it), "auto" renders neither. */
    @Test
    void inAutoModeTheOperatorsObjectsNeedItsApi() {
        Rendering auto = PolystoreChart.render(chart);

        assertThat(auto.all(PrometheusOperator.ServiceMonitor.class)).isEmpty();
        assertThat(auto.all(PrometheusOperator.PrometheusRule.class)).isEmpty();
        assertThat(dashboards(auto)).hasSize(2);
    }

    @Test
    void tuningAnAlertTheRuleFileDoesNotHaveIsRefused() throws IOException {
        Path misspelt = values("misspelt", "monitoring:\n  prometheusOperator: always\n  prometheusRule:\n    alerts:\n      PolystoreServiceDwn: {enabled: false}\n");

        assertThatThrownBy(() -> PolystoreChart.template(chart, misspelt))
                .hasMessageContaining("monitoring.prometheusRule.alerts.PolystoreServiceDwn: no such alert in files/prometheus/polystore-alerts.yml");
    }

    /** The chart's own dashboards and rules, whichever exist: one ConfigMap per dashboard file, every alert of the file. */
    @Test
    void theChartsOwnFilesAreRenderedAsTheyAre() throws IOException {
        Path files = PolystoreChart.directory().resolve("files");
        Rendering production = PolystoreChart.rendering("production");
        List<Path> dashboardFiles = new ArrayList<>();
        if (Files.isDirectory(files.resolve("dashboards"))) {
            try (Stream<Path> listed = Files.list(files.resolve("dashboards"))) {
                listed.filter(file -> file.toString().endsWith(".json")).forEach(dashboardFiles::add);
            }
        }
        assertThat(dashboards(production)).hasSize(dashboardFiles.size());

        Path rulesFile = files.resolve("prometheus/polystore-alerts.yml");
        if (Files.isRegularFile(rulesFile)) {
            Map<String, Object> rules = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(rulesFile, StandardCharsets.UTF_8));
            assertThat(production.all(PrometheusOperator.PrometheusRule.class).getFirst().spec().groups().stream()
                    .flatMap(group -> group.rules().stream()).map(PrometheusOperator.Rule::alert).filter(java.util.Objects::nonNull).toList())
                    .containsExactlyElementsOf(alertNames(rules));
        } else {
            assertThat(production.all(PrometheusOperator.PrometheusRule.class)).isEmpty();
        }
    }

    private static List<ConfigMap> dashboards(Rendering rendering) {
        return rendering.all(ConfigMap.class).stream()
                .filter(configMap -> configMap.getMetadata().getLabels().containsKey("grafana_dashboard")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertNames(Map<String, Object> file) {
        return ((List<Map<String, Object>>) file.get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream())
                .map(rule -> (String) rule.get("alert")).filter(java.util.Objects::nonNull).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ruleOf(Map<String, Object> file, String alert) {
        return ((List<Map<String, Object>>) file.get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream())
                .filter(rule -> alert.equals(rule.get("alert"))).findFirst().map(LinkedHashMap::new).orElseThrow();
    }

    private static Path values(String name, String content) throws IOException {
        Path file = Files.createTempFile(Files.createDirectories(PolystoreChart.repository().resolve("deployment-tests/target/helm")), name, ".yaml");
        Files.writeString(file, content);
        return file;
    }
}
