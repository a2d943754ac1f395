package io.polystore.gateway.audit;

import io.polystore.gateway.GatewayApplication;
import io.polystore.gateway.support.EchoUpstreams;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static io.polystore.gateway.support.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Kafka carries only the access audit: without it the gateway starts, serves, and keeps the decisions buffered. */
class StartsWithoutKafkaIT {

    @Test
    void servesWhileKafkaIsDownAndBuffersTheDecisions() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class)
                .profiles("local")
                .run("--server.port=0",
                        "--spring.kafka.bootstrap-servers=127.0.0.1:9",
                        "--polystore.identity.signing-keys[0].id=test-key-active",
                        "--polystore.identity.signing-keys[0].location=classpath:keys/active.jwk.json",
                        "--polystore.identity.demo-tokens-directory=target/demo-tokens",
                        "--polystore.services.catalog=" + EchoUpstreams.of("catalog").url())) {
            GatewayHttp gateway = GatewayHttp.on(((WebServerApplicationContext) context).getWebServer().getPort());

            assertThat(json(gateway.get("/actuator/health/readiness", null)).path("status").asString()).isEqualTo("UP");
            for (int call = 0; call < 3; call++) {
                assertThat(gateway.get("/api/catalog/products", TestTokens.valid("offline", "CUSTOMER")).statusCode())
                        .isEqualTo(200);
            }

            AccessAuditPublisher publisher = context.getBean(AccessAuditPublisher.class);
            await().untilAsserted(() -> assertThat(publisher.buffered()).isGreaterThanOrEqualTo(2));
        }
    }
}
