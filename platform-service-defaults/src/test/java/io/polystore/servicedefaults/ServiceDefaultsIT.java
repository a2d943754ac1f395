package io.polystore.servicedefaults;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.polystore.servicedefaults.sample.SampleApplication;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.jwt.TestTokenIssuer;
import io.polystore.testkit.spring.ServiceContractTests;
import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import io.polystore.testkit.spring.UseTestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.application.name=sample-service", "polystore.web.max-request-body=2KB"})
@UsePostgres(database = "sample")
@UseKafka
@UseTestTokens
class ServiceDefaultsIT extends ServiceContractTests {

    private static final TestTokenIssuer tokens = SharedServers.tokens();
    private static final JsonMapper json = JsonMapper.builder().build();

    @Value("${local.server.port}")
    private int port;

    @Override
    protected String protectedPath() {
        return "/greetings";
    }

    @Test
    void aTokenWithTheRoleIsServedOnAVirtualThread() throws Exception {
        HttpResponse<String> response = get("/greetings", tokens.tokenFor("alice", "CUSTOMER"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode greeting = json.readTree(response.body());
        assertThat(greeting.path("to").asString()).isEqualTo("alice");
        assertThat(greeting.path("virtualThread").asBoolean()).isTrue();
    }

    @Test
    void aRememberedTokenIsRefusedOnceItHasExpired() throws Exception {
        Instant now = Instant.now();
        String shortLived = tokens.token(claims -> claims.subject("alice").claim("roles", List.of("CUSTOMER"))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(2))));

        assertThat(get("/greetings", shortLived).statusCode()).isEqualTo(200);
        assertThat(get("/greetings", shortLived).statusCode()).isEqualTo(200);
        // Past its expiry and the clock skew (5 s), as if the service had never seen it.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertProblem(get("/greetings", shortLived), 401));
    }

    @Test
    void aValidTokenWithoutTheRoleIsForbiddenAsProblemDetails() throws Exception {
        HttpResponse<String> response = get("/greetings", tokens.tokenFor("bob", "AUDITOR"));

        assertProblem(response, 403);
    }

    static Stream<Arguments> refusedTokens() {
        Instant now = Instant.now();
        return Stream.of(
                Arguments.of("malformed", "not-a-jwt"),
                Arguments.of("expired", tokens.token(claims -> claims.subject("alice").claim("roles", List.of("CUSTOMER"))
                        .issueTime(Date.from(now.minusSeconds(3600))).expirationTime(Date.from(now.minusSeconds(600))))),
                // Within a minute: Spring's default leeway would take it.
                Arguments.of("expired 10 s ago", tokens.token(claims -> claims.subject("alice").claim("roles", List.of("CUSTOMER"))
                        .issueTime(Date.from(now.minusSeconds(600))).notBeforeTime(Date.from(now.minusSeconds(600)))
                        .expirationTime(Date.from(now.minusSeconds(10))))),
                Arguments.of("without expiry", tokens.token(claims -> claims.subject("alice").claim("roles", List.of("CUSTOMER"))
                        .expirationTime(null))),
                Arguments.of("not yet valid", tokens.token(claims -> claims.subject("alice").claim("roles", List.of("CUSTOMER"))
                        .notBeforeTime(Date.from(now.plusSeconds(30))))),
                Arguments.of("issued in the future", tokens.token(claims -> claims.subject("alice").claim("roles", List.of("CUSTOMER"))
                        .issueTime(Date.from(now.plusSeconds(600))))),
                Arguments.of("wrong audience", tokens.token(claims -> claims.subject("alice").claim("roles", List.of("CUSTOMER"))
                        .audience("another-platform"))),
                Arguments.of("wrong issuer", tokens.token(claims -> claims.subject("alice").claim("roles", List.of("CUSTOMER"))
                        .issuer("https://evil.example"))),
                Arguments.of("signed by an unknown key", tokens.tokenSignedByUnknownKey("alice", "CUSTOMER")),
                Arguments.of("alg none", new PlainJWT(new PlainHeader.Builder().type(JOSEObjectType.JWT).build(),
                        new JWTClaimsSet.Builder().issuer(tokens.issuer()).audience(TestTokenIssuer.AUDIENCE)
                                .subject("alice").claim("roles", List.of("CUSTOMER"))
                                .expirationTime(Date.from(now.plusSeconds(600))).build()).serialize()),
                Arguments.of("roles added by its holder", tamperedRoles(tokens.tokenFor("alice", "CUSTOMER"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void aBadTokenIsUnauthorizedAsProblemDetails(String why, String token) throws Exception {
        assertProblem(get("/greetings", token), 401);
    }

    @Test
    void invalidInputNamesTheFieldAndTheReason() throws Exception {
        HttpResponse<String> response = post("/drafts", "{\"productId\":\"\",\"quantity\":0}");

        JsonNode problem = assertProblem(response, 400);
        assertThat(problem.path("errors").findValuesAsString("field")).containsExactlyInAnyOrder("productId", "quantity");
        assertThat(problem.path("errors").findValuesAsString("reason")).allSatisfy(reason -> assertThat(reason).isNotBlank());
    }

    @Test
    void unknownFieldsAndTypeMismatchesNameTheField() throws Exception {
        JsonNode unknown = assertProblem(post("/drafts", "{\"productId\":\"p1\",\"quantity\":1,\"price\":1}"), 400);
        assertThat(unknown.path("errors").get(0).path("field").asString()).isEqualTo("price");
        assertThat(unknown.path("errors").get(0).path("reason").asString()).isEqualTo("unknown field");

        JsonNode mismatch = assertProblem(post("/drafts", "{\"productId\":\"p1\",\"quantity\":\"many\"}"), 400);
        assertThat(mismatch.path("errors").get(0).path("field").asString()).isEqualTo("quantity");
    }

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        JsonNode problem = assertProblem(post("/drafts", "{\"productId\": "), 400);

        assertThat(problem.path("detail").asString()).startsWith("Malformed JSON");
    }

    @Test
    void unknownPathsAndUnexpectedFailuresAreProblemDetailsThatHideInternals() throws Exception {
        String token = tokens.tokenFor("alice", "CUSTOMER");

        assertProblem(get("/no-such-thing", token), 404);
        JsonNode failure = assertProblem(get("/failures", token), 500);
        assertThat(failure.toString()).doesNotContain("secret internal detail");
    }

    @Test
    void aBodyOverTheLimitIs413WhetherItsLengthIsDeclaredOrItComesInChunks() throws Exception {
        String large = "{\"productId\":\"" + "p".repeat(3000) + "\",\"quantity\":1}";

        HttpResponse<String> declared = post("/drafts", large);
        HttpResponse<String> chunked = send(request("/drafts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(large))).build());

        assertThat(assertProblem(declared, 413).path("detail").asString()).contains("2048 bytes");
        assertThat(assertProblem(chunked, 413).path("detail").asString()).contains("2048 bytes");
        assertThat(post("/drafts", "{\"productId\":\"p1\",\"quantity\":1}").statusCode()).isEqualTo(200);
    }

    @Test
    void aServicesMappedExceptionAnswersItsStatus() throws Exception {
        JsonNode problem = assertProblem(post("/drafts/conflicting", "{}"), 409);

        assertThat(problem.path("detail").asString()).isEqualTo("The draft was changed meanwhile.");
        assertThat(problem.path("draftStatus").asString()).isEqualTo("CHANGED");
    }

    @Test
    void cursorsPageOnAndATamperedOneIsABadRequestNamingIt() throws Exception {
        String token = tokens.tokenFor("alice", "CUSTOMER");
        String next = json.readTree(get("/pages", token).body()).path("nextCursor").asString();
        assertThat(json.readTree(get("/pages?cursor=" + next, token).body()).path("after").asLong()).isEqualTo(10);

        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(next)).replace("\"10\"", "\"20\"").getBytes());
        assertThat(tampered).isNotEqualTo(next);
        JsonNode problem = assertProblem(get("/pages?cursor=" + tampered, token), 400);
        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("cursor");
    }

    @Test
    void aParameterOfTheWrongTypeIsNamed() throws Exception {
        JsonNode problem = assertProblem(get("/pages?size=many", tokens.tokenFor("alice", "CUSTOMER")), 400);

        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("size");
        assertThat(problem.path("errors").get(0).path("reason").asString()).isEqualTo("must be a whole number");
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + tokens.tokenFor("alice", "CUSTOMER"));
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotBlank();
        return problem;
    }

    /** Swaps the payload for one claiming ADMIN while keeping the original signature. */
    private static String tamperedRoles(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]))
                .replace("[\"CUSTOMER\"]", "[\"CUSTOMER\",\"ADMIN\"]");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
    }

    @Test
    void theApiDocumentSaysWhatIsNullableAndEveryErrorAnOperationCanAnswer() throws Exception {
        JsonNode document = json.readTree(get("/v3/api-docs", null).body());

        JsonNode page = document.at("/components/schemas/Page");
        assertThat(page.at("/properties/nextCursor/type").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("string", "null");
        assertThat(page.path("required").valueStream().map(JsonNode::asString)).containsExactly("after");
        assertThat(responseCodes(document, "/drafts", "post"))
                .containsExactly("200", "400", "401", "403", "413", "415", "500");
        assertThat(responseCodes(document, "/greetings", "get")).containsExactly("200", "401", "403", "500");
        assertThat(document.at("/paths/~1drafts/post/responses/400/content/application~1problem+json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/Problem");
        assertThat(document.at("/components/schemas/Problem/properties/errors/items/$ref").asString())
                .isEqualTo("#/components/schemas/FieldProblem");
        assertThat(document.at("/info/license/identifier").asString()).isEqualTo("Apache-2.0");
    }

    private static List<String> responseCodes(JsonNode document, String path, String method) {
        return document.path("paths").path(path).path(method).path("responses").propertyStream()
                .map(java.util.Map.Entry::getKey).toList();
    }
}
