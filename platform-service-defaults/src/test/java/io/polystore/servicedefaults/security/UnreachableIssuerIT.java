package io.polystore.servicedefaults.security;

import io.polystore.servicedefaults.sample.SampleApplication;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service whose token issuer cannot be reached (on the local HA platform, an instance started while the one gateway
 * it knows as the issuer was down) answers 503 with {@code Retry-After}, so that a client or the gateway sends the
 * request again, instead of a 500.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.application.name=sample-service")
@UsePostgres(database = "sample")
@UseKafka
class UnreachableIssuerIT {

    private static final JsonMapper json = JsonMapper.builder().build();

    @Value("${local.server.port}")
    private int port;

    @DynamicPropertySource
    static void issuerThatIsDown(DynamicPropertyRegistry registry) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> "http://127.0.0.1:" + closedPort);
    }

    @Test
    void aTokenThatCannotBeCheckedIsA503WithRetryAfter() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/greetings"))
                .header("Authorization", "Bearer " + SharedServers.tokens().tokenFor("alice", "CUSTOMER")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("detail").asString()).contains("the issuer's keys cannot be fetched");
    }

    @Test
    void noTokenIsStillA401() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/greetings")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
    }
}
