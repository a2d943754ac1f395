package io.polystore.deployment.monitoring;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboards shipped in the chart: one valid dashboard per file, loadable by a provisioning sidecar as it
 * is (the data source a variable, never {@code __inputs}), with stable unique uids, the application and instance
 * variables used by every query, and only metrics the services really expose. That every panel shows data on the
 * running platform is the end-to-end suite's {@code ObservabilityIT}.
 */
class DashboardsTest {

    private static final String DATASOURCE = "${datasource}";
    private static final Pattern RANGE = Pattern.compile("\\[([^]]*)]");
    private static final Pattern SELECTOR = Pattern.compile("\\{([^}]*)}");

    @Test
    void theSixDashboardsAreThere() {
        assertThat(MonitoringFiles.dashboards().keySet()).extracting(Path::toString).containsExactlyInAnyOrder(
                "polystore-overview.json", "polystore-orders.json", "polystore-sync.json", "polystore-gateway.json",
                "polystore-audit.json", "polystore-runtime.json");
    }

    @Test
    void everyDashboardHasTheExpectedShape() {
        List<String> problems = new ArrayList<>();
        MonitoringFiles.dashboards().forEach((file, dashboard) -> {
            String uid = dashboard.path("uid").asString();
            if (!file.toString().equals(uid + ".json")) {
                problems.add(file + ": uid " + uid + " is not the file's name");
            }
            if (dashboard.has("__inputs") || dashboard.toString().contains("${DS_")) {
                problems.add(file + ": uses __inputs/${DS_...}, which a provisioning sidecar cannot fill in");
            }
            if (dashboard.path("schemaVersion").asInt() < 36 || dashboard.path("title").asString().isBlank()
                    || !dashboard.path("tags").toString().contains("\"polystore\"")) {
                problems.add(file + ": needs a title, the tag polystore and a current schemaVersion");
            }
            JsonNode links = dashboard.path("links");
            if (links.isEmpty() || !links.valueStream().allMatch(link -> link.path("keepTime").asBoolean()
                    && link.path("includeVars").asBoolean())) {
                problems.add(file + ": needs links to the other dashboards keeping the time range and variables");
            }
            Map<String, JsonNode> variables = new java.util.HashMap<>();
            dashboard.path("templating").path("list").forEach(variable -> variables.put(variable.path("name").asString(), variable));
            JsonNode datasource = variables.get("datasource");
            if (datasource == null || !"datasource".equals(datasource.path("type").asString())
                    || !"prometheus".equals(datasource.path("query").asString())) {
                problems.add(file + ": needs the Prometheus data source as the variable $datasource");
            }
            for (String name : List.of("application", "instance")) {
                JsonNode variable = variables.get(name);
                if (variable == null || !"query".equals(variable.path("type").asString())
                        || !DATASOURCE.equals(variable.path("datasource").path("uid").asString())) {
                    problems.add(file + ": needs the query variable $" + name + " on $datasource");
                }
            }
            Set<Integer> ids = new HashSet<>();
            dashboard.path("panels").forEach(panel -> {
                String title = file + " / " + panel.path("title").asString();
                if (!ids.add(panel.path("id").asInt())) {
                    problems.add(title + ": panel id " + panel.path("id").asInt() + " used twice");
                }
                if ("row".equals(panel.path("type").asString())) {
                    return;
                }
                if (!DATASOURCE.equals(panel.path("datasource").path("uid").asString())) {
                    problems.add(title + ": the panel's data source is not $datasource");
                }
                if (panel.path("targets").isEmpty()) {
                    problems.add(title + ": no query");
                }
                panel.path("targets").forEach(target -> {
                    if (!DATASOURCE.equals(target.path("datasource").path("uid").asString())) {
                        problems.add(title + ": a query's data source is not $datasource");
                    }
                    problems.addAll(queryProblems(title, target.path("expr").asString()));
                });
            });
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void uidsAreUnique() {
        List<String> uids = MonitoringFiles.dashboards().values().stream().map(d -> d.path("uid").asString()).toList();
        assertThat(uids).doesNotHaveDuplicates().allMatch(uid -> uid.matches("[a-z0-9-]{1,40}"));
    }

    @Test
    void dashboardsUseOnlyMetricsTheServicesExpose() {
        Map<String, Set<String>> scraped = MonitoringFiles.scrapedMetrics();
        List<String> unknown = new ArrayList<>();
        MonitoringFiles.panelQueries().forEach((panel, queries) -> queries.forEach(query ->
                MonitoringFiles.metricNames(query).stream()
                        .filter(metric -> !scraped.containsKey(metric) && !MonitoringFiles.PROMETHEUS_OWN.contains(metric))
                        .forEach(metric -> unknown.add(panel + " reads " + metric))));
        assertThat(unknown).isEmpty();
    }

    /** Rates over $__rate_interval (or the whole $__range), and every selector filtered by application and instance. */
    private static List<String> queryProblems(String panel, String expr) {
        List<String> problems = new ArrayList<>();
        Matcher range = RANGE.matcher(MonitoringFiles.withoutStrings(expr));
        while (range.find()) {
            if (!Set.of("$__rate_interval", "$__range").contains(range.group(1))) {
                problems.add(panel + ": range [" + range.group(1) + "] instead of [$__rate_interval]: " + expr);
            }
        }
        Matcher selector = SELECTOR.matcher(expr);
        while (selector.find()) {
            String matchers = selector.group(1);
            if (!matchers.contains("application=~\"$application\"") || !matchers.contains("instance=~\"$instance\"")) {
                problems.add(panel + ": selector {" + matchers + "} does not filter by $application and $instance");
            }
        }
        return problems;
    }
}
