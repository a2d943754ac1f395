package io.polystore.deployment.compose;

import io.polystore.deployment.support.HostCommand;
import io.polystore.deployment.support.NetworkAddresses;
import io.polystore.testkit.platform.PlatformPorts;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Prometheus (Debian's package) with compose's scrape configuration: its targets rewritten to where the services
 * run here, its rule files to where compose mounts them from. {@code promtool check config} passes on the result
 * before the server starts.
 */
final class PrometheusServer implements AutoCloseable {

    private static final String CONTAINER_CONFIG = "/etc/prometheus/prometheus.yml";
    private static final JsonMapper json = JsonMapper.builder().build();

    private final Process process;
    private final URI base;
    private final List<Path> ruleFiles;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, URI base, List<Path> ruleFiles) {
        this.process = process;
        this.base = base;
        this.ruleFiles = ruleFiles;
    }

    @SuppressWarnings("unchecked")
    static PrometheusServer start(Path repository, ComposeConfig compose, NetworkAddresses addresses, Path directory) throws IOException {
        HostCommand.requireInstalled("prometheus", "prometheus");
        HostCommand.requireInstalled("promtool", "prometheus");
        Files.createDirectories(directory);
        Map<String, Object> config = new Yaml().load(Files.readString(compose.hostPath("prometheus", CONTAINER_CONFIG)));
        List<Path> ruleFiles = new ArrayList<>();
        config.put("rule_files", ((List<String>) config.get("rule_files")).stream().map(file -> {
            Path local = compose.hostPath("prometheus", file);
            ruleFiles.add(local);
            return local.toString();
        }).toList());
        for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
            for (Map<String, Object> group : (List<Map<String, Object>>) job.get("static_configs")) {
                group.put("targets", ((List<String>) group.get("targets")).stream()
                        .map(target -> addresses.rewrite("target", target)).toList());
            }
        }
        Path rewritten = directory.resolve("prometheus.yml");
        Files.writeString(rewritten, new Yaml().dump(config));
        HostCommand.runOk(repository, Map.of(), Duration.ofMinutes(1), List.of("promtool", "check", "config", rewritten.toString()));

        int port = PlatformPorts.free().gateway();
        Process process = new ProcessBuilder("prometheus", "--config.file=" + rewritten,
                "--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(directory.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), ruleFiles);
        try {
            await("Prometheus ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertThat(process.isAlive()).as("Prometheus exited; see %s", directory.resolve("prometheus.log")).isTrue();
                return server.status("/-/ready") == 200;
            });
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Each active target's application label and its health ({@code up}, {@code down}, {@code unknown}). */
    Map<String, String> targets() {
        Map<String, String> targets = new TreeMap<>();
        for (JsonNode target : api("/api/v1/targets?state=active").path("activeTargets")) {
            targets.put(target.path("labels").path("application").asString(), target.path("health").asString());
        }
        return targets;
    }

    /** The values of the application label among the series of a metric. */
    List<String> applicationsWith(String metric) {
        String query = URLEncoder.encode("count by (application) (" + metric + ")", StandardCharsets.UTF_8);
        List<String> applications = new ArrayList<>();
        api("/api/v1/query?query=" + query).path("result")
                .forEach(series -> applications.add(series.path("metric").path("application").asString()));
        return applications;
    }

    /**
     * The alert rules compose mounts: where a file matches, {@code promtool check rules} passes and Prometheus has
     * loaded every group of it; where none exists yet, Prometheus loaded none.
     */
    void assertShippedRulesLoaded() throws IOException {
        JsonNode groups = api("/api/v1/rules").path("groups");
        List<Path> present = new ArrayList<>();
        for (Path pattern : ruleFiles) {
            PathMatcher matcher = pattern.getFileSystem().getPathMatcher("glob:" + pattern);
            if (Files.isDirectory(pattern.getParent())) {
                try (Stream<Path> files = Files.list(pattern.getParent())) {
                    files.filter(matcher::matches).forEach(present::add);
                }
            }
        }
        if (present.isEmpty()) {
            assertThat(groups).isEmpty();
            return;
        }
        for (Path file : present) {
            HostCommand.runOk(file.getParent(), Map.of(), Duration.ofMinutes(1), List.of("promtool", "check", "rules", file.toString()));
        }
        int shipped = 0;
        for (Path file : present) {
            Map<String, Object> rules = new Yaml().load(Files.readString(file));
            shipped += ((List<?>) rules.get("groups")).size();
        }
        assertThat(groups).hasSize(shipped);
        groups.forEach(group -> assertThat(group.path("rules")).isNotEmpty());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private JsonNode api(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
            return json.readTree(response.body()).path("data");
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
