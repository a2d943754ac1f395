package io.polystore.catalog.support;

import io.polystore.testkit.SharedServers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The catalog's HTTP API as a customer or a catalog manager sees it. */
public final class CatalogHttp {

    /** Reads numbers as exactly as they are written: 24.90 stays 24.90. */
    public static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(tools.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final int port;
    private final String managerToken = SharedServers.tokens().tokenFor("carol", "CATALOG_MANAGER");
    private final String customerToken = SharedServers.tokens().tokenFor("alice", "CUSTOMER");

    public CatalogHttp(int port) {
        this.port = port;
    }

    /** A response: status, body as JSON (null if none), headers. */
    public record Reply(int status, JsonNode json, String body, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Reply get(String path) {
        return send(request(path, customerToken).GET());
    }

    public Reply post(String path, Object body) {
        return send(request(path, managerToken).header("Content-Type", "application/json").POST(publisher(body)));
    }

    public Reply put(String path, Object body) {
        return send(request(path, managerToken).header("Content-Type", "application/json").PUT(publisher(body)));
    }

    public Reply delete(String path) {
        return send(request(path, managerToken).DELETE());
    }

    /** As a customer, who may read but not change the catalog. */
    public Reply postAsCustomer(String path, Object body) {
        return send(request(path, customerToken).header("Content-Type", "application/json").POST(publisher(body)));
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? null : JSON.readTree(response.body());
            return new Reply(response.statusCode(), json, response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    public String managerToken() {
        return managerToken;
    }

    private static HttpRequest.BodyPublisher publisher(Object body) {
        return HttpRequest.BodyPublishers.ofString(body instanceof String text ? text : JSON.writeValueAsString(body));
    }
}
