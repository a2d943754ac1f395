package io.polystore.gateway.routing;

import io.polystore.gateway.GatewayApplication;
import io.polystore.gateway.support.EchoUpstream;
import io.polystore.gateway.support.EchoUpstreams;
import io.polystore.gateway.support.GatewayDatabase;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.TestTokens;
import io.polystore.servicedefaults.region.RegionHeaderFilter;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.platform.PlatformPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.polystore.gateway.support.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two regions' gateways, each with its own signing key and its own order-service (echo stand-ins that say which one
 * answered), each listing both in {@code polystore.region.gateways}: each trusts the other's tokens, region-a's
 * gateway forwards a region-b customer's home-region-only requests to region-b's gateway and serves everything
 * else itself; with region-b stopped, their order reads come from region-a's replica endpoints and the rest is
 * refused with 503 {@code home-region-unavailable}, until region-b is back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HomeRegionForwardingIT {

    private static final int PORT_A = PlatformPorts.freePort();
    private static final int PORT_B = PlatformPorts.freePort();
    private static final String ISSUER_A = "http://127.0.0.1:" + PORT_A;
    private static final String ISSUER_B = "http://127.0.0.1:" + PORT_B;
    private static final EchoUpstream ordersA = EchoUpstream.start("orders-a");
    private static final EchoUpstream ordersB = EchoUpstream.start("orders-b");
    private static final List<ConfigurableApplicationContext> running = new ArrayList<>();
    private static ConfigurableApplicationContext regionB;
    private static GatewayHttp gatewayA;
    private static GatewayHttp gatewayB;

    @BeforeAll
    static void startTwoRegions() {
        running.add(start("region-a", PORT_A, "test-key-active", "keys/active.jwk.json", ordersA));
        regionB = start("region-b", PORT_B, "test-key-previous", "keys/previous.jwk.json", ordersB);
        gatewayA = GatewayHttp.on(PORT_A);
        gatewayB = GatewayHttp.on(PORT_B);
    }

    @AfterAll
    static void stop() {
        running.forEach(ConfigurableApplicationContext::close);
        if (regionB != null) {
            regionB.close();
        }
        ordersA.close();
        ordersB.close();
    }

    @Test
    @Order(1)
    void eachRegionsGatewayTrustsTheOthersTokensAndOnlyThose() {
        HttpResponse<String> atA = gatewayA.get("/api/catalog/products", customerOfB("bob"));
        assertThat(atA.statusCode()).as(atA.body()).isEqualTo(200);
        assertThat(gatewayB.get("/api/catalog/products", customerOfA("alice")).statusCode()).isEqualTo(200);
        assertThat(gatewayA.get("/api/catalog/products", TestTokens.signed(TestTokens.unknownKey("test-key-previous"),
                claims -> claims.issuer(ISSUER_B).subject("eve").claim("roles", List.of("CUSTOMER")))).statusCode())
                .as("region-b's issuer, another key").isEqualTo(401);
        assertThat(gatewayA.get("/api/catalog/products", TestTokens.signed(TestTokens.PREVIOUS,
                claims -> claims.issuer("http://127.0.0.1:1").subject("eve").claim("roles", List.of("CUSTOMER")))).statusCode())
                .as("an issuer no region lists").isEqualTo(401);
        assertThat(gatewayA.get("/api/catalog/products", TestTokens.signed(TestTokens.PREVIOUS,
                claims -> claims.issuer(ISSUER_B).audience("another-platform").subject("eve")
                        .claim("roles", List.of("CUSTOMER")))).statusCode())
                .as("region-b's token for another audience").isEqualTo(401);
    }

    @Test
    @Order(2)
    void aCustomerOfRegionBIsServedByRegionBThroughRegionAsGateway() throws Exception {
        String bob = customerOfB("bob");
        String order = UUID.randomUUID().toString();

        HttpResponse<String> read = gatewayA.get("/api/orders/" + order, bob);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(json(read).path("service").asString()).isEqualTo("orders-b");
        assertThat(json(read).path("bearer").asBoolean()).isTrue();
        assertThat(read.headers().allValues(RegionHeaderFilter.HEADER)).as("the answering service's, once")
                .containsExactly(EchoUpstream.REGION);
        assertThat(ordersA.hits("/orders/" + order)).isZero();

        HttpResponse<String> list = gatewayA.get("/api/orders?size=5&sort=newest", bob);
        assertThat(json(list).path("service").asString()).isEqualTo("orders-b");
        assertThat(json(list).path("query").asString()).isEqualTo("size=5&sort=newest");

        String body = "{\"lines\":[{\"productId\":\"p-1\",\"quantity\":2}]}";
        HttpResponse<String> placed = gatewayA.send(HttpRequest.newBuilder(gatewayA.uri("/api/orders"))
                .header("Authorization", "Bearer " + bob).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        JsonNode echoed = json(placed);
        assertThat(echoed.path("service").asString()).isEqualTo("orders-b");
        assertThat(echoed.path("method").asString()).isEqualTo("POST");
        assertThat(echoed.path("bodyBytes").asInt()).isEqualTo(body.length());

        assertThat(json(gatewayA.send("POST", "/api/orders/" + order + "/cancel", bob)).path("service").asString())
                .isEqualTo("orders-b");
        assertThat(json(gatewayA.get("/api/customers/bob/personal-data", bob)).path("service").asString())
                .isEqualTo("orders-b");
        assertThat(json(gatewayA.send("DELETE", "/api/customers/bob/personal-data", bob)).path("service").asString())
                .isEqualTo("orders-b");

        // Bob's account is region-b's gateway's: it answers itself (no such account in its test database), naming its region.
        HttpResponse<String> account = gatewayA.get("/api/account", bob);
        assertThat(account.statusCode()).as(account.body()).isEqualTo(404);
        assertThat(account.headers().allValues(RegionHeaderFilter.HEADER)).containsExactly("region-b");
        assertThat(gatewayA.get("/api/account", customerOfA("bob")).headers().allValues(RegionHeaderFilter.HEADER))
                .as("region-a's bob, a different person").containsExactly("region-a");
    }

    @Test
    @Order(3)
    void whatTheOwnRegionCanServeIsNotForwarded() throws Exception {
        String order = UUID.randomUUID().toString();
        assertThat(json(gatewayA.get("/api/orders/" + order, customerOfA("alice"))).path("service").asString())
                .as("a customer of region-a").isEqualTo("orders-a");
        assertThat(json(gatewayA.get("/api/orders/" + order, TestTokens.signed(TestTokens.PREVIOUS, claims -> claims
                .issuer(ISSUER_B).subject("root").claim("roles", List.of("ADMIN")).claim("region", "region-b"))))
                .path("service").asString()).as("an administrator of region-b reads region-a's order").isEqualTo("orders-a");
        assertThat(json(gatewayA.get("/api/customers/carol/personal-data", customerOfB("bob"))).path("service").asString())
                .as("another customer's data: order-service refuses it").isEqualTo("orders-a");
        assertThat(json(gatewayA.get("/api/orders/" + order, TestTokens.signed(TestTokens.ACTIVE, claims -> claims
                .issuer(ISSUER_A).subject("dave").claim("roles", List.of("CUSTOMER")).claim("region", "region-c"))))
                .path("service").asString()).as("a region no gateway is listed for: order-service's 421").isEqualTo("orders-a");
        assertThat(json(gatewayA.get("/api/orders/replica/" + order, customerOfB("bob"))).path("service").asString())
                .as("the replica is this region's").isEqualTo("orders-a");
        assertThat(json(gatewayB.get("/api/orders/" + order, customerOfB("bob"))).path("service").asString())
                .as("region-b serves its own customers").isEqualTo("orders-b");
    }

    @Test
    @Order(4)
    void whileTheHomeRegionIsDownOrderReadsComeFromTheReplicaAndTheRestIsRefusedUntilItIsBack() {
        String bob = customerOfB("bob");
        String order = UUID.randomUUID().toString();
        regionB.close();

        for (int i = 0; i < 4; i++) { // refused connections, then the breaker open: the same answers
            HttpResponse<String> read = gatewayA.get("/api/orders/" + order, bob);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(read.headers().firstValue("Polystore-Served-From")).contains("replica");
            assertThat(json(read).path("service").asString()).isEqualTo("orders-a");
            assertThat(json(read).path("path").asString()).isEqualTo("/orders/replica/" + order);
            assertThat(json(read).path("bearer").asBoolean()).isTrue();

            HttpResponse<String> list = gatewayA.get("/api/orders?size=3", bob);
            assertThat(json(list).path("path").asString()).isEqualTo("/orders/replica");
            assertThat(json(list).path("query").asString()).isEqualTo("size=3");

            int placedInA = ordersA.hits("/orders");
            HttpResponse<String> place = gatewayA.send(HttpRequest.newBuilder(gatewayA.uri("/api/orders"))
                    .header("Authorization", "Bearer " + bob).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(place.statusCode()).as(place.body()).isEqualTo(503);
            assertThat(place.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(place.headers().firstValue("Retry-After")).isPresent();
            assertThat(json(place).path("type").asString()).isEqualTo("urn:polystore:problem:home-region-unavailable");
            assertThat(json(place).path("homeRegion").asString()).isEqualTo("region-b");
            assertThat(ordersA.hits("/orders")).as("nothing placed in region-a").isEqualTo(placedInA);

            assertThat(gatewayA.send("POST", "/api/orders/" + order + "/cancel", bob).statusCode()).isEqualTo(503);
            assertThat(gatewayA.get("/api/orders/" + order + "/history", bob).statusCode()).isEqualTo(503);
            assertThat(gatewayA.get("/api/account", bob).statusCode()).isEqualTo(503);
        }

        regionB = start("region-b", PORT_B, "test-key-previous", "keys/previous.jwk.json", ordersB);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(json(gatewayA.get("/api/orders/" + order, bob)).path("service").asString())
                        .as("forwarded again once the breaker lets a trial through").isEqualTo("orders-b"));
    }

    private static String customerOfB(String subject) {
        return TestTokens.signed(TestTokens.PREVIOUS, claims -> claims.issuer(ISSUER_B).subject(subject)
                .claim("roles", List.of("CUSTOMER")).claim("region", "region-b"));
    }

    private static String customerOfA(String subject) {
        return TestTokens.signed(TestTokens.ACTIVE, claims -> claims.issuer(ISSUER_A).subject(subject)
                .claim("roles", List.of("CUSTOMER")).claim("region", "region-a"));
    }

    private static ConfigurableApplicationContext start(String region, int port, String keyId, String key,
                                                        EchoUpstream orders) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=" + port,
                "--polystore.region.name=" + region,
                "--polystore.region.gateways.region-a=" + ISSUER_A,
                "--polystore.region.gateways.region-b=" + ISSUER_B,
                "--polystore.identity.issuer-uri=http://127.0.0.1:" + port,
                "--spring.kafka.bootstrap-servers=" + SharedServers.kafka().bootstrapServers(),
                "--polystore.identity.signing-keys[0].id=" + keyId,
                "--polystore.identity.signing-keys[0].location=classpath:" + key,
                "--polystore.identity.demo-tokens-directory=target/demo-tokens-" + region,
                "--polystore.services.orders=" + orders.url(),
                "--polystore.services.catalog=" + EchoUpstreams.of("catalog").url(),
                // Quick to open and to try again, for the test.
                "--resilience4j.circuitbreaker.instances.home-region-region-b.minimum-number-of-calls=2",
                "--resilience4j.circuitbreaker.instances.home-region-region-b.sliding-window-size=4",
                "--resilience4j.circuitbreaker.instances.home-region-region-b.wait-duration-in-open-state=2s"));
        arguments.addAll(GatewayDatabase.arguments("gateway_" + region.replace('-', '_')));
        return new SpringApplicationBuilder(GatewayApplication.class).profiles("local").run(arguments.toArray(String[]::new));
    }
}
