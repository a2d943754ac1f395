package io.polystore.deployment.monitoring;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The alert rules shipped in the chart: valid for Prometheus, their unit tests pass, each has what an on-call
 * engineer needs, and they read only metrics the services really expose.
 */
class AlertRulesTest {

    /** Labels Prometheus adds to every scraped series. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        promtool("check", "rules", MonitoringFiles.ALERTS.toString());
    }

    @Test
    void promtoolUnitTestsPass() throws Exception {
        promtool("test", "rules", MonitoringFiles.ALERT_TESTS.toString());
    }

    @Test
    void everyAlertHasSeveritySummaryDescriptionAndARunbookInTheReadme() {
        Set<String> anchors = MonitoringFiles.readmeAnchors();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> rule : MonitoringFiles.alertRules()) {
            Object name = rule.get("alert");
            if (name == null || !name.toString().matches("Polystore[A-Z][A-Za-z]+")) {
                problems.add(rule + ": not an alert named Polystore<CamelCase> (recording rules belong elsewhere)");
                continue;
            }
            Map<?, ?> labels = (Map<?, ?>) rule.getOrDefault("labels", Map.of());
            Map<?, ?> annotations = (Map<?, ?>) rule.getOrDefault("annotations", Map.of());
            if (!Set.of("critical", "warning", "info").contains(String.valueOf(labels.get("severity")))) {
                problems.add(name + ": severity must be critical, warning or info, is " + labels.get("severity"));
            }
            String summary = String.valueOf(annotations.get("summary"));
            if (annotations.get("summary") == null || summary.contains("{{")) {
                problems.add(name + ": needs a fixed summary (no templating), has " + annotations.get("summary"));
            }
            if (annotations.get("description") == null || annotations.get("description").toString().isBlank()) {
                problems.add(name + ": needs a description");
            }
            String runbook = String.valueOf(annotations.get("runbook_url"));
            String anchor = runbook.startsWith("README.md#") ? runbook.substring("README.md#".length()) : null;
            if (anchor == null || !anchors.contains(anchor)) {
                problems.add(name + ": runbook_url " + runbook + " names no section of README.md");
            } else if (!anchor.equals(name.toString().toLowerCase())) {
                problems.add(name + ": runbook_url should point at its own section #" + name.toString().toLowerCase());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertIsTestedFiringAndQuiet() {
        Set<String> fires = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (Map<String, Object> test : (List<Map<String, Object>>) MonitoringFiles.yaml(MonitoringFiles.ALERT_TESTS).get("tests")) {
            for (Map<String, Object> check : (List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of())) {
                List<?> expected = (List<?>) check.get("exp_alerts");
                (expected == null || expected.isEmpty() ? quiet : fires).add(check.get("alertname").toString());
            }
        }
        List<String> alerts = MonitoringFiles.alertRules().stream().map(rule -> rule.get("alert").toString()).toList();
        assertThat(fires).as("alerts with a case where they fire").containsAll(alerts);
        assertThat(quiet).as("alerts with a case where they stay quiet").containsAll(alerts);
    }

    @Test
    @SuppressWarnings("unchecked")
    void rulesAndTheirTestsUseOnlyMetricsAndLabelsTheServicesExpose() {
        Map<String, Set<String>> scraped = MonitoringFiles.scrapedMetrics();
        List<String> unknown = new ArrayList<>();
        for (Map<String, Object> rule : MonitoringFiles.alertRules()) {
            MonitoringFiles.metricNames(rule.get("expr").toString()).stream()
                    .filter(metric -> !scraped.containsKey(metric) && !MonitoringFiles.PROMETHEUS_OWN.contains(metric))
                    .forEach(metric -> unknown.add(rule.get("alert") + " reads " + metric));
        }
        for (Map<String, Object> test : (List<Map<String, Object>>) MonitoringFiles.yaml(MonitoringFiles.ALERT_TESTS).get("tests")) {
            for (Map<String, Object> input : (List<Map<String, Object>>) test.get("input_series")) {
                Map.Entry<String, Set<String>> series = MonitoringFiles.parseSeries(input.get("series").toString());
                if (MonitoringFiles.PROMETHEUS_OWN.contains(series.getKey())) {
                    continue;
                }
                Set<String> labels = scraped.get(series.getKey());
                if (labels == null) {
                    unknown.add("test input " + series.getKey() + " is no metric the services expose");
                    continue;
                }
                series.getValue().stream().filter(label -> !labels.contains(label) && !TARGET_LABELS.contains(label))
                        .forEach(label -> unknown.add("test input " + series.getKey() + " has label " + label
                                + ", which the services do not give it"));
            }
        }
        assertThat(unknown).isEmpty();
    }

    /** Runs promtool from the rules' directory; fails with its output unless it succeeds. */
    private static void promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(MonitoringFiles.PROMETHEUS.toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("promtool is not installed: install Debian's prometheus package "
                    + "(apt-get install prometheus); .ci/run does", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("promtool " + String.join(" ", arguments) + " did not finish within 2 minutes:\n" + output);
        }
        if (process.exitValue() != 0) {
            fail("promtool " + String.join(" ", arguments) + " failed (exit " + process.exitValue() + "):\n" + output);
        }
    }
}
