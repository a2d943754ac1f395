package io.polystore.order.support;

import io.polystore.testkit.SharedServers;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The order service's HTTP API as a client sees it. */
@TestComponent
public class OrderApi {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final Environment environment;

    OrderApi(Environment environment) {
        this.environment = environment;
    }

    /** A response with its body parsed when it is JSON. */
    public record Response(int status, Map<String, List<String>> headers, JsonNode body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().getFirst()).findFirst().orElse(null);
        }

        public UUID id() {
            return UUID.fromString(body.path("id").asString());
        }
    }

    public static String token(String subject, String... roles) {
        return SharedServers.tokens().tokenFor(subject, roles);
    }

    /** A valid order body for these product ids, one of each. */
    public static String orderBody(String currency, String... productIds) {
        StringBuilder lines = new StringBuilder();
        for (String productId : productIds) {
            lines.append(lines.isEmpty() ? "" : ",").append("{\"productId\":\"").append(productId).append("\",\"quantity\":2}");
        }
        return """
                {"currency": "%s", "lines": [%s],
                 "customer": {"name": "Alice Example", "email": "alice@example.com", "phone": "+49 30 1234567"},
                 "shippingAddress": {"line1": "Hauptstrasse 1", "postalCode": "10115", "city": "Berlin", "country": "DE"}}
                """.formatted(currency, lines);
    }

    public Response place(String token, String idempotencyKey, String body) {
        return place(token, idempotencyKey, body, Map.of());
    }

    public Response place(String token, String idempotencyKey, String body, Map<String, String> headers) {
        HttpRequest.Builder request = request("/orders", token).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request);
    }

    /** Places a valid order and returns its id. */
    public UUID placeOrder(String customer, String... productIds) {
        Response response = place(token(customer, "CUSTOMER"), UUID.randomUUID().toString(), orderBody("EUR", productIds));
        if (response.status() != 201) {
            throw new AssertionError("placing an order answered " + response.status() + ": " + response.body());
        }
        return response.id();
    }

    public Response get(String token, String path) {
        return send(request(path, token).GET());
    }

    public Response post(String token, String path) {
        return send(request(path, token).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Any method, with an empty JSON object as its body. */
    public Response send(String method, String token, String path) {
        return send(request(path, token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString("{}")));
    }

    public Response delete(String token, String path) {
        return send(request(path, token).DELETE());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + environment.getProperty("local.server.port") + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode json = body == null || body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
            return new Response(response.statusCode(), response.headers().map(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
