package io.polystore.testkit.platform;

import io.polystore.testkit.Processes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.File;
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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) scraping the local platform with the shipped alert
 * rules: what {@code ./polystore} starts when the binary is installed, and what the end-to-end tests check the
 * dashboards and alerts against. Its configuration follows the scrape contract the chart's ServiceMonitor and compose
 * follow too: path {@code /actuator/prometheus}, {@code honor_labels: true}, and a target label
 * {@code application=<spring.application.name>}. Data in {@code <data>/prometheus}, log in {@code <data>/logs}.
 */
public final class LocalPrometheus implements AutoCloseable {

    /** Where the rules live in the repository: once, in the Helm chart, which compose mounts too. */
    public static final String ALERT_RULES = "helm/polystore/files/prometheus/polystore-alerts.yml";
    /** Where the dashboards live in the repository. */
    public static final String DASHBOARDS = "helm/polystore/files/dashboards";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper json = JsonMapper.builder().build();

    private final Process process;
    private final int port;

    private LocalPrometheus(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The {@code prometheus} binary on the {@code PATH}, if installed. */
    public static Optional<Path> binary() {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
                .map(directory -> Path.of(directory, "prometheus"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** How to get the binary, for messages. */
    public static String installHint() {
        return "install Debian's prometheus package (apt-get install prometheus)";
    }

    /**
     * The scrape configuration of the platform's five services plus the shipped alert rules.
     *
     * @param interval      how often to scrape and evaluate the rules
     * @param caCertificate for services serving HTTPS, the CA that verifies them; {@code null} for plain HTTP
     */
    public static String configuration(PlatformPorts ports, Path alertRules, Duration interval, Path caCertificate) {
        String targets = Stream.of(PlatformService.values())
                .map(service -> """
                              - targets: ['127.0.0.1:%d']
                                labels:
                                  application: %s
                        """.formatted(service.port(ports), service.moduleName()))
                .collect(Collectors.joining());
        return """
                # Written by Polystore's launcher (LocalPrometheus); rewritten at every start.
                global:
                  scrape_interval: %1$ds
                  evaluation_interval: %1$ds
                rule_files:
                  - '%2$s'
                scrape_configs:
                  - job_name: polystore
                    metrics_path: /actuator/prometheus
                    # The services tag every series application=<name> themselves; the target label says the same.
                    honor_labels: true
                %3$s    static_configs:
                %4$s""".formatted(interval.toSeconds(), alertRules.toAbsolutePath(), caCertificate == null ? "" : """
                    scheme: https
                    tls_config:
                      ca_file: '%s'
                """.formatted(caCertificate.toAbsolutePath()), targets);
    }

    /**
     * Starts Prometheus on {@code 127.0.0.1:port} and waits until it is ready.
     *
     * @throws IllegalStateException when the binary is missing or the server does not become ready; the message says
     *                               why (with the end of its log)
     */
    public static LocalPrometheus start(Path repository, Path dataDirectory, PlatformPorts ports, int port,
                                        Duration interval) {
        return start(repository, dataDirectory, ports, port, interval, null);
    }

    /** Like {@link #start(Path, Path, PlatformPorts, int, Duration)}, scraping HTTPS services that the CA verifies. */
    public static LocalPrometheus start(Path repository, Path dataDirectory, PlatformPorts ports, int port,
                                        Duration interval, Path caCertificate) {
        Path binary = binary().orElseThrow(() -> new IllegalStateException(
                "Prometheus is not installed: " + installHint()));
        Path home = dataDirectory.resolve("prometheus");
        Path config = home.resolve("prometheus.yml");
        Path log = dataDirectory.resolve("logs").resolve("prometheus.log");
        try {
            Files.createDirectories(home);
            Files.createDirectories(log.getParent());
            Files.writeString(config, configuration(ports, repository.resolve(ALERT_RULES), interval, caCertificate));
            Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + home.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--storage.tsdb.retention.time=7d")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            LocalPrometheus prometheus = new LocalPrometheus(process, port);
            prometheus.awaitReady(log);
            return prometheus;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Prometheus from " + binary, e);
        }
    }

    /** For example {@code http://127.0.0.1:9090}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Runs an instant query; returns the {@code data.result} array.
     *
     * @throws IllegalStateException when Prometheus refuses the query (the message quotes its error)
     */
    public JsonNode query(String promql) {
        JsonNode response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(response.path("status").asString())) {
            throw new IllegalStateException("Prometheus refused " + promql + ": " + response.path("error").asString());
        }
        return response.path("data").path("result");
    }

    /** The rule groups Prometheus loaded, with each rule's health and last error ({@code /api/v1/rules}). */
    public List<JsonNode> ruleGroups() {
        return get("/api/v1/rules").path("data").path("groups").valueStream().toList();
    }

    /** The alerts pending or firing now ({@code /api/v1/alerts}). */
    public List<JsonNode> alerts() {
        return get("/api/v1/alerts").path("data").path("alerts").valueStream().toList();
    }

    @Override
    public void close() {
        Processes.stop(process, STOP_TIMEOUT);
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url().resolve(path))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Prometheus at " + url() + " did not answer " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking Prometheus", e);
        }
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Prometheus exited with status " + process.exitValue() + "; see " + log
                        + "\n" + tail(log));
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(url().resolve("/-/ready"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while waiting for Prometheus", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while waiting for Prometheus", e);
            }
        }
        close();
        throw new IllegalStateException("Prometheus was not ready on port " + port + " within "
                + READY_TIMEOUT.toSeconds() + " s; see " + log + "\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }
}
