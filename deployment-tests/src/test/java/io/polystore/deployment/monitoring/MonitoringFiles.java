package io.polystore.deployment.monitoring;

import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The monitoring files Polystore ships (dashboards and alert rules, once in the Helm chart), the README their runbooks
 * live in, and the metrics the services really expose, as recorded from their {@code /actuator/prometheus}.
 */
final class MonitoringFiles {

    static final Path REPOSITORY = Path.of(System.getProperty("polystore.repository", "..")).toAbsolutePath().normalize();
    static final Path DASHBOARDS = REPOSITORY.resolve("helm/polystore/files/dashboards");
    static final Path PROMETHEUS = REPOSITORY.resolve("helm/polystore/files/prometheus");
    static final Path ALERTS = PROMETHEUS.resolve("polystore-alerts.yml");
    static final Path ALERT_TESTS = PROMETHEUS.resolve("polystore-alerts.test.yml");
    static final Path README = REPOSITORY.resolve("README.md");
    /** Scrapes of the five services after a few orders, refreshed as deployment-tests' README says. */
    static final Path SCRAPES = Path.of("src/test/resources/scrapes").toAbsolutePath();

    /** Series Prometheus makes itself rather than scraping them. */
    static final Set<String> PROMETHEUS_OWN = Set.of("up");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan");

    private MonitoringFiles() {
    }

    static Map<Path, JsonNode> dashboards() {
        Map<Path, JsonNode> dashboards = new TreeMap<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                dashboards.put(file.getFileName(), JSON.readTree(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dashboards;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) {
        try {
            return new Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every alerting rule of the rule file, as parsed YAML. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alertRules() {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) yaml(ALERTS).get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    /** Every query of every panel, by "dashboard / panel". */
    static Map<String, List<String>> panelQueries() {
        Map<String, List<String>> queries = new TreeMap<>();
        dashboards().forEach((file, dashboard) -> dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> queries.computeIfAbsent(dashboard.path("uid").asString() + " / "
                        + panel.path("title").asString(), key -> new ArrayList<>()).add(target.path("expr").asString()))));
        return queries;
    }

    /**
     * The metric names a PromQL expression reads: what is left once strings, label matchers, ranges, grouping
     * clauses, functions and keywords are taken out.
     */
    static Set<String> metricNames(String promql) {
        String stripped = withoutStrings(promql)
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new HashSet<>();
        Matcher token = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(stripped);
        while (token.find()) {
            String name = token.group(1);
            if (token.group(2) == null && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }

    /** The expression with every string literal emptied. */
    static String withoutStrings(String promql) {
        return promql.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
    }

    /** Metric names the services expose, each with the label names it carries. */
    static Map<String, Set<String>> scrapedMetrics() {
        Map<String, Set<String>> metrics = new HashMap<>();
        try (Stream<Path> files = Files.list(SCRAPES)) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file)) {
                    Matcher series = SERIES.matcher(line);
                    if (line.startsWith("#") || !series.find()) {
                        continue;
                    }
                    Set<String> labels = metrics.computeIfAbsent(series.group(1), name -> new HashSet<>());
                    if (series.group(3) != null) {
                        Matcher label = LABEL.matcher(series.group(3));
                        while (label.find()) {
                            labels.add(label.group(1));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return metrics;
    }

    /** The metric name and label names of a promtool input series such as {@code up{application="gateway"}}. */
    static Map.Entry<String, Set<String>> parseSeries(String series) {
        Matcher matcher = SERIES.matcher(series + " ");
        if (!matcher.find()) {
            throw new IllegalArgumentException("not a series: " + series);
        }
        Set<String> labels = new HashSet<>();
        if (matcher.group(3) != null) {
            Matcher label = LABEL.matcher(matcher.group(3));
            while (label.find()) {
                labels.add(label.group(1));
            }
        }
        return Map.entry(matcher.group(1), labels);
    }

    /** The anchors GitHub gives the README's headings ("#### PolystoreServiceDown" is #polystoreservicedown). */
    static Set<String> readmeAnchors() {
        Set<String> anchors = new HashSet<>();
        try {
            for (String line : Files.readAllLines(README)) {
                if (line.startsWith("#")) {
                    anchors.add(line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT)
                            .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return anchors;
    }
}
