package io.polystore.testkit.platform;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The scrape configuration: plain HTTP by default, HTTPS verified against the CA for a platform with TLS. */
class LocalPrometheusTest {

    private final PlatformPorts ports = PlatformPorts.defaults();

    @Test
    void scrapesPlainHttpByDefault() {
        Map<String, Object> job = job(LocalPrometheus.configuration(ports, Path.of("rules.yml"), Duration.ofSeconds(10), null));

        assertThat(job).doesNotContainKeys("scheme", "tls_config").containsEntry("metrics_path", "/actuator/prometheus");
        assertThat((List<?>) job.get("static_configs")).hasSize(5);
    }

    @Test
    void scrapesHttpsTrustingTheLocalCaWithTls() {
        Path ca = Path.of("/data/tls/ca.crt");

        Map<String, Object> job = job(LocalPrometheus.configuration(ports, Path.of("rules.yml"), Duration.ofSeconds(10), ca));

        assertThat(job).containsEntry("scheme", "https").containsEntry("tls_config", Map.of("ca_file", "/data/tls/ca.crt"));
        assertThat((List<?>) job.get("static_configs")).hasSize(5);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> job(String configuration) {
        Map<String, Object> config = new Yaml().load(configuration);
        return ((List<Map<String, Object>>) config.get("scrape_configs")).getFirst();
    }
}
