package io.polystore.gateway.audit;

import io.polystore.gateway.GatewayApplication;
import io.polystore.gateway.support.EchoUpstreams;
import io.polystore.gateway.support.GatewayDatabase;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.polystore.gateway.support.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka carries only the audit: without it the gateway starts and serves, keeps access decisions buffered, and keeps
 * account events in its database until Kafka takes them.
 */
class StartsWithoutKafkaIT {

    @Test
    void servesWhileKafkaIsDownAndKeepsTheAudit() {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0",
                "--spring.kafka.bootstrap-servers=127.0.0.1:9",
                "--polystore.identity.signing-keys[0].id=test-key-active",
                "--polystore.identity.signing-keys[0].location=classpath:keys/active.jwk.json",
                "--polystore.identity.demo-tokens-directory=target/demo-tokens",
                "--polystore.services.catalog=" + EchoUpstreams.of("catalog").url()));
        // Its own database: the other gateways of this test run would relay its account events to their Kafka.
        arguments.addAll(GatewayDatabase.arguments("gateway_without_kafka"));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class)
                .profiles("local")
                .run(arguments.toArray(String[]::new))) {
            GatewayHttp gateway = GatewayHttp.on(((WebServerApplicationContext) context).getWebServer().getPort());

            assertThat(json(gateway.get("/actuator/health/readiness", null)).path("status").asString()).isEqualTo("UP");
            for (int call = 0; call < 3; call++) {
                assertThat(gateway.get("/api/catalog/products", TestTokens.valid("offline", "CUSTOMER")).statusCode())
                        .isEqualTo(200);
            }
            String username = "offline-" + UUID.randomUUID().toString().substring(0, 8);
            HttpResponse<String> registered = gateway.send(HttpRequest.newBuilder(gateway.uri("/api/account"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"username\":\"" + username + "\",\"password\":\"kafka is away today\"}")).build());

            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
            AccessAuditPublisher publisher = context.getBean(AccessAuditPublisher.class);
            await().untilAsserted(() -> assertThat(publisher.buffered()).isGreaterThanOrEqualTo(2));
            JdbcClient database = context.getBean(JdbcClient.class);
            assertThat(database.sql("SELECT count(*) FROM account_event WHERE convert_from(envelope, 'UTF8') LIKE :account")
                    .param("account", "%\"" + username + "\"%").query(Long.class).single()).isEqualTo(1);
        }
    }
}
