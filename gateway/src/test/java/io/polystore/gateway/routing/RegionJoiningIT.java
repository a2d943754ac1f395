package io.polystore.gateway.routing;

import io.polystore.events.EventEnvelope;
import io.polystore.events.RegionAnnounced;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.gateway.GatewayApplication;
import io.polystore.gateway.support.EchoUpstream;
import io.polystore.gateway.support.EchoUpstreams;
import io.polystore.gateway.support.GatewayDatabase;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.TestTokens;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.platform.PlatformPorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A region that joins while a gateway runs: join-a's gateway is started knowing only itself; join-b's, started later,
 * lists both. Until join-b's announcement reaches join-a (produced on {@code join-b.regions}, standing in for
 * MirrorMaker; both gateways share the tests' Kafka), join-a refuses join-b's tokens; afterwards it trusts them and
 * forwards join-b's customers' home-region-only requests to join-b's gateway, without a restart.
 */
class RegionJoiningIT {

    private static final int PORT_A = PlatformPorts.freePort();
    private static final int PORT_B = PlatformPorts.freePort();
    private static final String ISSUER_A = "http://127.0.0.1:" + PORT_A;
    private static final String ISSUER_B = "http://127.0.0.1:" + PORT_B;
    private static final EchoUpstream ordersA = EchoUpstream.start("orders-join-a");
    private static final EchoUpstream ordersB = EchoUpstream.start("orders-join-b");
    private static final List<ConfigurableApplicationContext> running = new ArrayList<>();
    private static GatewayHttp gatewayA;

    @BeforeAll
    static void startTheFirstRegion() {
        running.add(start("join-a", PORT_A, "test-key-active", "keys/active.jwk.json", ordersA,
                List.of("--polystore.region.gateways.join-a=" + ISSUER_A)));
        gatewayA = GatewayHttp.on(PORT_A);
    }

    @AfterAll
    static void stop() {
        running.forEach(ConfigurableApplicationContext::close);
        ordersA.close();
        ordersB.close();
    }

    @Test
    void aRegionThatJoinsIsTrustedAndForwardedToWithoutARestart() throws Exception {
        String bob = TestTokens.signed(TestTokens.PREVIOUS, claims -> claims.issuer(ISSUER_B).subject("bob")
                .claim("roles", List.of("CUSTOMER")).claim("region", "join-b"));
        assertThat(gatewayA.get("/api/catalog/products", bob).statusCode()).as("an issuer of no region known")
                .isEqualTo(401);

        ConfigurableApplicationContext regionB = start("join-b", PORT_B, "test-key-previous", "keys/previous.jwk.json",
                ordersB, List.of("--polystore.region.gateways.join-a=" + ISSUER_A,
                        "--polystore.region.gateways.join-b=" + ISSUER_B, "--polystore.region.peers=join-a"));
        running.add(regionB);
        // MirrorMaker's part: join-b's announcement, as its gateway wrote it, mirrored as join-b.regions.
        String mirrored = Topics.mirrored("join-b", Topics.REGIONS);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedServers.kafka().bootstrapServers()))) {
            if (!admin.listTopics().names().get().contains(mirrored)) {
                admin.createTopics(List.of(new NewTopic(mirrored, 1, (short) 1))).all().get();
            }
        }
        KafkaEventBinding binding = regionB.getBean(KafkaEventBinding.class);
        ProducerRecord<String, byte[]> announced = binding.toProducerRecord(EventEnvelope.of(
                new RegionAnnounced("join-b", ISSUER_B, Instant.now()), "/gateway", Clock.systemUTC()));
        @SuppressWarnings("unchecked")
        KafkaTemplate<String, byte[]> kafka = regionB.getBean(KafkaTemplate.class);
        kafka.send(new ProducerRecord<>(mirrored, null, announced.key(), announced.value(), announced.headers())).get();
        long begin = System.nanoTime();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                gatewayA.get("/api/catalog/products", bob).statusCode() == 200);
        double trusted = (System.nanoTime() - begin) / 1e9;
        String order = UUID.randomUUID().toString();
        HttpResponse<String> read = gatewayA.get("/api/orders/" + order, bob);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(JsonMapper.builder().build().readTree(read.body()).path("service").asString())
                .as("answered by join-b's order-service, through join-b's gateway").isEqualTo("orders-join-b");
        assertThat(ordersA.hits("/orders/" + order)).isZero();
        System.out.printf("Region join-b announced: its tokens trusted and its customers forwarded by join-a after %.2f s%n",
                trusted);
    }

    private static ConfigurableApplicationContext start(String region, int port, String keyId, String key,
                                                        EchoUpstream orders, List<String> regions) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=" + port,
                "--polystore.region.name=" + region,
                "--polystore.identity.issuer-uri=http://127.0.0.1:" + port,
                "--spring.kafka.bootstrap-servers=" + SharedServers.kafka().bootstrapServers(),
                "--polystore.identity.signing-keys[0].id=" + keyId,
                "--polystore.identity.signing-keys[0].location=classpath:" + key,
                "--polystore.identity.demo-tokens-directory=target/demo-tokens-" + region,
                "--polystore.services.orders=" + orders.url(),
                "--polystore.services.catalog=" + EchoUpstreams.of("catalog").url()));
        arguments.addAll(regions);
        arguments.addAll(GatewayDatabase.arguments("gateway_" + region.replace('-', '_')));
        return new SpringApplicationBuilder(GatewayApplication.class).profiles("local").run(arguments.toArray(String[]::new));
    }
}
