package io.polystore.servicedefaults.security;

import io.polystore.servicedefaults.sample.SampleApplication;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.jwt.TestTokenIssuer;
import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import io.polystore.testkit.spring.UseTestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service of region-1 that lists region-2's gateway in {@code polystore.region.gateways} accepts the tokens of its
 * own issuer and of region-2's, each checked against its own keys (two real issuers serving their key sets over
 * HTTP) and held to the same rules; an issuer not listed is refused as before; a region's keys are fetched before any
 * of its tokens arrives and still used while its gateway is down.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.application.name=sample-service", "polystore.region.name=region-1"})
@UsePostgres(database = "sample")
@UseKafka
@UseTestTokens
class RegionIssuersIT {

    private static final TestTokenIssuer own = SharedServers.tokens();
    private static final TestTokenIssuer region2 = TestTokenIssuer.start();
    private static final TestTokenIssuer unlisted = TestTokenIssuer.start();
    /** A region whose gateway goes down before any of its tokens reaches the service. */
    private static final TestTokenIssuer region3 = TestTokenIssuer.start();
    private static final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    private int port;

    @DynamicPropertySource
    static void gateways(DynamicPropertyRegistry properties) {
        properties.add("polystore.region.gateways.region-2", region2::issuer);
        properties.add("polystore.region.gateways.region-3", region3::issuer);
        // The own region may be listed too: its issuer is the service's own.
        properties.add("polystore.region.gateways.region-1", own::issuer);
    }

    @AfterAll
    static void stopIssuers() {
        region2.close();
        unlisted.close();
        region3.close();
    }

    @Test
    void tokensOfTheOwnIssuerAndOfAnotherRegionsGatewayAreAccepted() throws Exception {
        assertThat(get(own.tokenFor("alice", "CUSTOMER")).statusCode()).isEqualTo(200);
        HttpResponse<String> fromRegion2 = get(region2.token(claims -> claims.subject("bob")
                .claim("roles", List.of("CUSTOMER")).claim(TokenRules.HOME_REGION_CLAIM, "region-2")));
        assertThat(fromRegion2.statusCode()).as(fromRegion2.body()).isEqualTo(200);
        assertThat(fromRegion2.body()).contains("bob");
        // Remembered, and still answered the same.
        assertThat(get(region2.tokenFor("bob", "CUSTOMER")).statusCode()).isEqualTo(200);
        assertThat(get(region2.tokenFor("bob", "AUDITOR")).statusCode()).as("roles still apply").isEqualTo(403);
    }

    @Test
    void anotherRegionsTokenIsHeldToEveryRuleAndToItsOwnKeys() throws Exception {
        Instant now = Instant.now();
        assertThat(get(unlisted.tokenFor("eve", "CUSTOMER")).statusCode()).as("an issuer not listed").isEqualTo(401);
        assertThat(get(unlisted.token(claims -> claims.issuer(region2.issuer()).subject("eve")
                .claim("roles", List.of("CUSTOMER")))).statusCode())
                .as("region-2's issuer, signed with another key").isEqualTo(401);
        assertThat(get(region2.token(claims -> claims.subject("eve").claim("roles", List.of("CUSTOMER"))
                .audience("another-platform"))).statusCode()).as("wrong audience").isEqualTo(401);
        assertThat(get(region2.token(claims -> claims.subject("eve").claim("roles", List.of("CUSTOMER"))
                .issueTime(Date.from(now.minusSeconds(600))).expirationTime(Date.from(now.minusSeconds(10)))))
                .statusCode()).as("expired").isEqualTo(401);
        assertThat(get(region2.token(claims -> claims.subject("eve").claim("roles", List.of("CUSTOMER"))
                .issueTime(Date.from(now.plusSeconds(600))))).statusCode()).as("issued in the future").isEqualTo(401);
        assertThat(get(region2.token(claims -> claims.subject("eve").claim("roles", List.of("CUSTOMER"))
                .issuer(own.issuer()))).statusCode()).as("the own issuer's name, region-2's key").isEqualTo(401);
    }

    @Test
    void aRegionsKeysAreFetchedAheadOfItsTokensAndStillUsedWhileItsGatewayIsDown() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> region3.keySetReads() > 0);
        String token = region3.token(claims -> claims.subject("carol").claim("roles", List.of("CUSTOMER"))
                .claim(TokenRules.HOME_REGION_CLAIM, "region-3"));
        region3.close();
        HttpResponse<String> whileDown = get(token);
        assertThat(whileDown.statusCode()).as("region-3's token while its gateway is down: %s", whileDown.body()).isEqualTo(200);
        assertThat(whileDown.body()).contains("carol");
    }

    private HttpResponse<String> get(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/greetings"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
