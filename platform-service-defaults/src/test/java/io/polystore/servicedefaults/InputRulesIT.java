package io.polystore.servicedefaults;

import io.polystore.servicedefaults.sample.SampleApplication;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import io.polystore.testkit.spring.UseTestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every service refuses at its door (issue 16): each a 400 problem naming the input, never a 5xx and never
 * Tomcat's HTML page. The same application and context as {@link ServiceDefaultsIT}.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.application.name=sample-service", "polystore.web.max-request-body=2KB"})
@UsePostgres(database = "sample")
@UseKafka
@UseTestTokens
class InputRulesIT {

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final String TOKEN = SharedServers.tokens().tokenFor("alice", "CUSTOMER");

    @Value("${local.server.port}")
    private int port;

    @Test
    void aFractionWhereAWholeNumberIsExpectedIsRefusedNotTruncated() throws Exception {
        JsonNode problem = problem(post("/drafts", "{\"productId\":\"p1\",\"quantity\":1.5}"), 400);

        assertThat(field(problem)).isEqualTo("quantity");
        assertThat(post("/drafts", "{\"productId\":\"p1\",\"quantity\":2}").body()).contains("\"quantity\":2");
    }

    @Test
    void anEmptyOrBlankStringWhereANumberIsExpectedIsRefusedNotTakenAsNull() throws Exception {
        assertThat(field(problem(post("/drafts", "{\"productId\":\"p1\",\"quantity\":\"\"}"), 400))).isEqualTo("quantity");
        assertThat(field(problem(post("/drafts", "{\"productId\":\"p1\",\"quantity\":\"\\u0001 \"}"), 400)))
                .isEqualTo("quantity");
    }

    @Test
    void aWildcardOrUnparsableContentTypeIsRefusedAsAProblem() throws Exception {
        HttpResponse<String> wildcard = send(request("/drafts").header("Content-Type", "*/*")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        HttpResponse<String> unparsable = send(request("/drafts").header("Content-Type", "application/")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());

        problem(wildcard, 415);
        assertThat(field(problem(unparsable, 400))).isEqualTo("Content-Type");
    }

    @Test
    void aDuplicateKeyIsRefusedNamingIt() throws Exception {
        JsonNode problem = problem(post("/drafts", "{\"productId\":\"p1\",\"productId\":\"p2\",\"quantity\":1}"), 400);

        assertThat(field(problem)).isEqualTo("productId");
        assertThat(problem.path("detail").asString()).contains("Duplicate");
        // Inside a free-form value, the field that holds it; the reason names the key.
        JsonNode nested = problem(post("/notes", "{\"colour\":{\"a\":1,\"a\":2}}"), 400);
        assertThat(field(nested)).isEqualTo("colour");
        assertThat(nested.path("errors").get(0).path("reason").asString()).contains("\"a\"");
    }

    @Test
    void aLoneSurrogateOrANulCharacterIsRefusedNamingTheFieldWhereverItIs() throws Exception {
        JsonNode surrogate = problem(post("/drafts", "{\"productId\":\"p\\ud800\",\"quantity\":1}"), 400);
        assertThat(field(surrogate)).isEqualTo("productId");
        assertThat(surrogate.path("errors").get(0).path("reason").asString()).contains("lone UTF-16 surrogate");

        JsonNode nul = problem(post("/drafts", "{\"productId\":\"p\\u0000\",\"quantity\":1}"), 400);
        assertThat(field(nul)).isEqualTo("productId");
        assertThat(nul.path("errors").get(0).path("reason").asString()).contains("NUL");

        assertThat(field(problem(post("/notes", "{\"tags\":[\"ok\",\"\\udc00x\"]}"), 400))).isEqualTo("tags[1]");
        JsonNode key = problem(post("/notes", "{\"outer\":{\"k\\u0000\":1}}"), 400);
        assertThat(field(key)).isEqualTo("outer");
        assertThat(key.path("errors").get(0).path("reason").asString()).isEqualTo("has a key that must not contain the NUL character");
        // A well-formed pair is a character like any other; so are other control characters.
        assertThat(json.readTree(post("/notes", "{\"emoji\":\"\\ud83d\\ude00\",\"bell\":\"\\u0007\"}").body()))
                .isEqualTo(json.readTree("{\"emoji\":\"\uD83D\uDE00\",\"bell\":\"\\u0007\"}"));
    }

    @Test
    void invalidUtf8IsRefusedNamingTheFieldItIsIn() throws Exception {
        byte[] body = bytes("{\"productId\":\"p", new byte[]{(byte) 0xC3, (byte) 0x28}, "\",\"quantity\":1}");

        JsonNode problem = problem(send(request("/drafts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()), 400);

        assertThat(problem.path("detail").asString()).startsWith("Malformed JSON");
        assertThat(field(problem)).isEqualTo("productId");
    }

    @Test
    void aHeaderWithControlCharactersIsRefusedNamingIt() throws Exception {
        // The UTF-8 bytes of "€" as the ISO-8859-1 text a server reads them as: two of them are C1 controls.
        String response = raw("GET /greetings HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                + "\r\nIdempotency-Key: \u00e2\u0082\u00ac\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400").contains("application/problem+json")
                .contains("\"field\":\"Idempotency-Key\"");
    }

    @Test
    void aQueryParameterWithNulOrInvalidUtf8IsRefusedNamingIt() throws Exception {
        assertThat(field(problem(get("/pages?cursor=a%00b"), 400))).isEqualTo("cursor");
        assertThat(field(problem(get("/pages?cursor=%C3%28"), 400))).isEqualTo("cursor");
        assertThat(get("/pages?size=%31%30").statusCode()).isEqualTo(200);
    }

    @Test
    void tomcatsOwnRefusalsOfOverLongQueryStringsAndHeadersAreProblemDetails() throws Exception {
        String longQuery = raw("GET /pages?cursor=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n");
        String longHeader = raw("GET /greetings HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "b".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        String badRequestLine = raw("GET /greetings\u0001 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        for (String response : new String[]{longQuery, longHeader, badRequestLine}) {
            assertThat(response).startsWith("HTTP/1.1 4").contains("Content-Type: application/problem+json")
                    .doesNotContain("<html").doesNotContain("Tomcat");
            JsonNode problem = json.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
            assertThat(problem.path("status").asInt()).isBetween(400, 499);
            assertThat(problem.path("title").asString()).isNotBlank();
        }
    }

    private static String field(JsonNode problem) {
        return problem.path("errors").get(0).path("field").asString();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", "Bearer " + TOKEN);
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends bytes no HTTP client would (ISO-8859-1, one byte per character) and reads the whole answer. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        return json.readTree(response.body());
    }
}
