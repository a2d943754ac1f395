package io.polystore.testkit.platform;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Calls the platform through its gateway as any client would: bearer tokens, JSON bodies. A 429 is waited out as
 * its {@code Retry-After} says, because the gateway's per-user limits apply to scripts and tests too.
 */
public final class GatewayClient {

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final Duration RATE_LIMIT_PATIENCE = Duration.ofMinutes(2);

    private final List<URI> instances;
    private final AtomicInteger next = new AtomicInteger();
    private final Consumer<Response> check;
    private final HttpClient http;

    public GatewayClient(URI base) {
        this(base, null, response -> {
        });
    }

    /**
     * @param base  the gateway's address, or of a proxy in front of it
     * @param check sees every response before the caller does, e.g. to fail on one a validating proxy flagged
     */
    public GatewayClient(URI base, Consumer<Response> check) {
        this(base, null, check);
    }

    /** A client of an {@code https} gateway whose certificate {@code tls} verifies (null: the JVM's default CAs). */
    public GatewayClient(URI base, SSLContext tls) {
        this(base, tls, response -> {
        });
    }

    /**
     * A client of several gateway instances, as clients behind a load balancer see them: each request goes to the
     * next instance in turn, and to the one after when it cannot reach its instance, or when its exchange broke and
     * it is a read or carries an {@code Idempotency-Key} (the rule the gateway itself follows towards the services).
     */
    public GatewayClient(List<URI> instances, SSLContext tls) {
        this(instances, tls, response -> {
        });
    }

    private GatewayClient(URI base, SSLContext tls, Consumer<Response> check) {
        this(List.of(base), tls, check);
    }

    private GatewayClient(List<URI> instances, SSLContext tls, Consumer<Response> check) {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("A gateway client needs at least one gateway address");
        }
        this.instances = List.copyOf(instances);
        this.check = check;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            http.sslContext(tls);
        }
        this.http = http.build();
    }

    /** A response; {@code json} is the parsed body, or a missing node when the body is not JSON. */
    public record Response(int status, String body, JsonNode json, HttpResponse<String> raw) {

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    /** The (first) gateway's address. */
    public URI base() {
        return instances.getFirst();
    }

    public Response get(String path, String token) {
        return send("GET", path, token, null, Map.of());
    }

    public Response post(String path, String token, Object body) {
        return send("POST", path, token, body, Map.of());
    }

    public Response post(String path, String token, Object body, Map<String, String> headers) {
        return send("POST", path, token, body, headers);
    }

    public Response put(String path, String token, Object body) {
        return send("PUT", path, token, body, Map.of());
    }

    /**
     * @param token  a bearer token, or null to send none
     * @param body   serialised as JSON, or null for none
     */
    public Response send(String method, String path, String token, Object body, Map<String, String> headers) {
        boolean retryable = method.equals("GET") || headers.containsKey("Idempotency-Key");
        int first = Math.floorMod(next.getAndIncrement(), instances.size());
        for (int attempt = 0; ; attempt++) {
            URI instance = instances.get((first + attempt) % instances.size());
            try {
                return exchange(request(instance, method, path, token, body, headers));
            } catch (UncheckedIOException e) {
                boolean unreached = e.getCause() instanceof ConnectException;
                if (attempt + 1 >= instances.size() || !(unreached || retryable)) {
                    throw e;
                }
            }
        }
    }

    private static HttpRequest request(URI instance, String method, String path, String token, Object body,
                                       Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(instance.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return request.build();
    }

    /** An access token by the OAuth2 client credentials grant, as a machine client gets one. */
    public String clientCredentialsToken(String clientId, String secret) {
        String credentials = java.util.Base64.getEncoder()
                .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(base().resolve("/oauth2/token"))
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=" + URLEncoder.encode("client_credentials", StandardCharsets.UTF_8)))
                .build();
        Response response = exchange(request);
        if (response.status() != 200) {
            throw new IllegalStateException("The gateway refused a token to " + clientId + ": " + response.status() + " " + response.body());
        }
        return response.json().path("access_token").asString();
    }

    private Response exchange(HttpRequest request) {
        long giveUp = System.nanoTime() + RATE_LIMIT_PATIENCE.toNanos();
        while (true) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted during " + request.method() + " " + request.uri(), e);
            }
            if (response.statusCode() == 429 && System.nanoTime() < giveUp) {
                long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
                try {
                    Thread.sleep(Duration.ofSeconds(Math.max(1, seconds)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while rate limited", e);
                }
                continue;
            }
            Response result = new Response(response.statusCode(), response.body(), parse(response.body()), response);
            check.accept(result);
            return result;
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? json.missingNode() : json.readTree(body);
        } catch (RuntimeException notJson) {
            return json.missingNode();
        }
    }
}
