package io.polystore.gateway.routing;

import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.GatewayIntegrationTest;
import io.polystore.gateway.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.polystore.gateway.support.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the gateway tells a service about the request, and what it refuses before forwarding anything (issue 16):
 * the public address in {@code X-Forwarded-*}, set from the gateway's own view whatever a client sent; headers with
 * control characters and over-long requests answered as problem details.
 */
@GatewayIntegrationTest
class ForwardingIT {

    @Value("${local.server.port}")
    int port;

    GatewayHttp gateway;

    @BeforeEach
    void connect() {
        gateway = GatewayHttp.on(port);
    }

    @ParameterizedTest
    @CsvSource({
            "/api/orders/orders/7,                /api",
            "/api/catalog/products/7,             /api/catalog",
            "/api/customers/alice/personal-data,  /api",
            "/api/sync/reconciliation/runs,       /api/sync"})
    void servicesLearnThePublicAddressAndNothingAClientClaimed(String path, String prefix) {
        JsonNode echoed = json(gateway.send(HttpRequest.newBuilder(gateway.uri(path))
                .header("Authorization", "Bearer " + TestTokens.valid("root", "ADMIN"))
                .header("X-Forwarded-Prefix", "/evil")
                .header("X-Forwarded-Host", "evil.example")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Port", "1")
                .header("X-Forwarded-For", "10.6.6.6")
                .header("Forwarded", "for=10.6.6.6;host=evil.example;proto=https")
                .build()));

        JsonNode forwarded = echoed.path("forwarded");
        assertThat(forwarded.path("x-forwarded-prefix").valueStream().map(JsonNode::asString)).containsExactly(prefix);
        assertThat(forwarded.path("x-forwarded-host").valueStream().map(JsonNode::asString)).containsExactly("localhost");
        assertThat(forwarded.path("x-forwarded-proto").valueStream().map(JsonNode::asString)).containsExactly("http");
        assertThat(forwarded.path("x-forwarded-port").valueStream().map(JsonNode::asString))
                .containsExactly(Integer.toString(port));
        assertThat(forwarded.path("x-forwarded-for").valueStream().map(JsonNode::asString))
                .singleElement().asString().doesNotContain("10.6.6.6");
        assertThat(forwarded.has("forwarded")).isFalse();
        assertThat(forwarded.toString()).doesNotContain("evil", "https", "10.6.6.6");
    }

    @Test
    void aHeaderWithControlCharactersIsRefusedAsAProblemNamingItAndNotForwarded() throws IOException {
        // "€" in UTF-8, read by the server as ISO-8859-1, as every header is: it holds two C1 control characters.
        String response = raw("POST /api/orders HTTP/1.1\r\nAuthorization: Bearer " + TestTokens.valid("alice", "CUSTOMER")
                + "\r\nIdempotency-Key: \u00e2\u0082\u00ac\r\nContent-Length: 0\r\n");

        assertThat(response).startsWith("HTTP/1.1 400").contains("application/problem+json")
                .contains("\"field\":\"Idempotency-Key\"");
    }

    @Test
    void overLongQueryStringsAndHeadersGetProblemDetailsNotTomcatsPage() throws IOException {
        for (String request : List.of(
                "GET /api/catalog/products?q=" + "a".repeat(20_000) + " HTTP/1.1\r\n",
                "GET /api/catalog/products HTTP/1.1\r\nX-Padding: " + "b".repeat(20_000) + "\r\n")) {
            String response = raw(request);

            assertThat(response).startsWith("HTTP/1.1 4").contains("Content-Type: application/problem+json")
                    .doesNotContain("<html").doesNotContain("Tomcat");
            JsonNode problem = GatewayHttp.JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
            assertThat(problem.path("status").asInt()).isBetween(400, 499);
        }
    }

    /** The request head as given, one byte per character, then Host and Connection: close; the whole answer. */
    private String raw(String head) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Host: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
