package io.polystore.gateway.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.polystore.servicedefaults.region.RegionHeaderFilter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for a downstream HTTP service: answers every request with JSON describing what it received (method,
 * path as sent, whether a bearer token came along, body size), serves a small OpenAPI document at
 * {@code /v3/api-docs}, answers {@code .../status/<code>} with that status and {@code .../slow/<millis>} after a pause.
 * Like every Polystore service it names its region in each response ({@value #REGION}, not the gateway's, so that a
 * test tells whose answer a client sees).
 */
public final class EchoUpstream implements AutoCloseable {

    public static final String REGION = "echo-region";

    private final String name;
    private final HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    private EchoUpstream(String name, HttpServer server) {
        this.name = name;
        this.server = server;
    }

    public static EchoUpstream start(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
            EchoUpstream upstream = new EchoUpstream(name, server);
            server.createContext("/", upstream::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return upstream;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many requests arrived for {@code path} (as the service saw it). */
    public int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        hits.computeIfAbsent(path, ignored -> new AtomicInteger()).incrementAndGet();
        long bodyBytes;
        try (InputStream body = exchange.getRequestBody()) {
            bodyBytes = body.transferTo(java.io.OutputStream.nullOutputStream());
        }
        int status = 200;
        String json;
        if (path.equals("/v3/api-docs") && "GET".equals(exchange.getRequestMethod())) {
            json = """
                    {"openapi":"3.1.0","info":{"title":"%s API","version":"v1"},
                     "servers":[{"url":"http://127.0.0.1:9999","description":"Generated server url"}],
                     "security":[{"bearer-jwt":[]}],
                     "paths":{"/things/{id}":{"get":{"operationId":"thing","security":[{"bearer-jwt":[]}]}}},
                     "components":{"securitySchemes":{"bearer-jwt":{"type":"http","scheme":"bearer","bearerFormat":"JWT"}}}}
                    """.formatted(name);
        } else {
            if (path.contains("/status/")) {
                status = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
            } else if (path.contains("/busy/")) {
                // A service shedding load: 503 with Retry-After, as order-service's admission answers.
                status = 503;
                exchange.getResponseHeaders().set("Retry-After", path.substring(path.lastIndexOf('/') + 1));
            } else if (path.contains("/slow/")) {
                try {
                    Thread.sleep(Long.parseLong(path.substring(path.lastIndexOf('/') + 1)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            // Every forwarding header with all its values, to show what was set, appended or dropped.
            Map<String, List<String>> forwarded = new TreeMap<>();
            exchange.getRequestHeaders().forEach((header, values) -> {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("x-forwarded-") || lower.equals("forwarded")) {
                    forwarded.put(lower, values);
                }
            });
            json = """
                    {"service":"%s","method":"%s","path":"%s","query":"%s","bearer":%s,"cookie":%s,"forwardedFor":"%s","bodyBytes":%d,"forwarded":%s}"""
                    .formatted(name, exchange.getRequestMethod(), path,
                            exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery(),
                            authorization != null && authorization.startsWith("Bearer "),
                            exchange.getRequestHeaders().containsKey("Cookie"),
                            String.valueOf(exchange.getRequestHeaders().getFirst("X-Forwarded-For")), bodyBytes,
                            GatewayHttp.JSON.writeValueAsString(forwarded));
        }
        byte[] response = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set(RegionHeaderFilter.HEADER, REGION);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, response.length);
            exchange.getResponseBody().write(response);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
