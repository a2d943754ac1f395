package io.polystore.testkit.spring;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every Polystore service promises once started, checked over HTTP against the running service.
 * A service's start-up test extends this with {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} and the
 * {@code @Use...} annotations of the stores it needs.
 */
public abstract class ServiceContractTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Value("${local.server.port}")
    private int port;

    @Value("${spring.application.name}")
    private String applicationName;

    /** An endpoint of the service's own API, which must refuse a request without a token. */
    protected abstract String protectedPath();

    @Test
    void reportsUpWithLivenessAndReadinessGroups() throws Exception {
        assertThat(json("/actuator/health").path("status").asString()).isEqualTo("UP");
        assertThat(json("/actuator/health/liveness").path("status").asString()).isEqualTo("UP");
        assertThat(json("/actuator/health/readiness").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void exposesPrometheusMetricsTaggedWithTheApplication() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes").contains("application=\"" + applicationName + "\"");
    }

    @Test
    void publishesItsHealthComponentsAsAMetric() throws Exception {
        assertThat(get("/actuator/prometheus", null).body())
                .contains("polystore_health{application=\"" + applicationName + "\",component=\"ping\"} 1.0");
    }

    /** Prometheus before 2.43 (Debian 12's) drops a whole OpenMetrics scrape with an exemplar on a histogram's _count. */
    @Test
    void itsOpenMetricsScrapeCarriesNoExemplarsOlderPrometheusServersRefuse() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/actuator/prometheus")).header("Accept", "application/openmetrics-text;version=1.0.0").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("openmetrics"));
        assertThat(response.body().lines().filter(line -> !line.startsWith("#") && line.contains(" # {"))).isEmpty();
    }

    @Test
    void documentsItsApiWithABearerScheme() throws Exception {
        JsonNode apiDocs = json("/v3/api-docs");

        assertThat(apiDocs.path("info").path("title").asString()).isEqualTo(applicationName + " API");
        assertThat(apiDocs.path("components").path("securitySchemes").path("bearer-jwt").path("scheme").asString())
                .isEqualTo("bearer");
        assertThat(get("/swagger-ui/index.html", null).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesItsApiWithoutATokenAsProblemDetails() throws Exception {
        HttpResponse<String> response = get(protectedPath(), null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        assertThat(JSON.readTree(response.body()).path("status").asInt()).isEqualTo(401);
    }

    protected HttpResponse<String> get(String path, String bearerToken) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path, null);
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
