package io.polystore.testkit.surrealdb;

import io.polystore.testkit.platform.PlatformPorts;
import io.polystore.testkit.surrealdb.SurrealDbServer.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.dataformat.cbor.CBORGenerator;
import tools.jackson.dataformat.cbor.CBORMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SurrealDbServerIT {

    private static final Logger log = LoggerFactory.getLogger(SurrealDbServerIT.class);

    private static SurrealDbServer server;
    private static Rpc rpc;

    @BeforeAll
    static void startServer() {
        server = SurrealDbServer.start(Options.temporary());
        rpc = Rpc.signedIn(server, "root", "root");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void answersHealthAndVersion() {
        HttpResponse<byte[]> health = rpc.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEmpty();
        assertThat(new String(rpc.get("/version").body(), StandardCharsets.UTF_8)).startsWith("surrealdb-");
    }

    @Test
    void commitsATransactionAndRollsBackOneThatThrows() {
        Selection shop = rpc.defined("tx_ns", "shop");

        JsonNode committed = rpc.query(shop, "BEGIN; CREATE item:1 SET n = 1; CREATE item:2 SET n = 2; COMMIT;");
        assertThat(statuses(committed)).containsExactly("OK", "OK", "OK", "OK");
        assertThat(rpc.query(shop, "SELECT count() FROM item GROUP ALL").get(0).get("result").get(0).get("count").asInt())
                .isEqualTo(2);

        JsonNode rolledBack = rpc.query(shop, "BEGIN; CREATE item:3 SET n = 3; THROW \"boom\"; CREATE item:4; COMMIT;");
        // BEGIN; the statement before the failure; THROW; the statement after it; no entry for COMMIT.
        assertThat(statuses(rolledBack)).containsExactly("OK", "ERR", "ERR", "ERR");
        assertThat(rolledBack.get(1).get("result").asString()).contains("not executed due to a failed transaction");
        assertThat(rolledBack.get(2).get("kind").asString()).isEqualTo("Thrown");
        assertThat(rolledBack.get(2).get("result").asString()).contains("boom");
        assertThat(rolledBack.get(3).get("result").asString()).contains("cancelled transaction");
        assertThat(rpc.query(shop, "SELECT VALUE id FROM item WHERE n > 2").get(0).get("result")).isEmpty();
    }

    @Test
    void keepsDatabasesApart() {
        Selection first = rpc.defined("apart_ns", "first");
        Selection second = rpc.defined("apart_ns", "second");
        rpc.query(first, "CREATE note:1 SET text = 'first'");
        rpc.query(second, "CREATE note:2 SET text = 'second'");

        assertThat(rpc.query(second, "SELECT VALUE text FROM note").get(0).get("result"))
                .extracting(JsonNode::asString).containsExactly("second");
    }

    @Test
    void aQueryLeavesNothingInTheSessionTheNextRequestRunsIn() {
        Selection first = rpc.defined("stateless_ns", "first");
        rpc.defined("stateless_ns", "second");
        rpc.query(first, "CREATE note:1 SET text = 'first'");

        // Each request after the first may run in the session the one before it used (the server keeps sessions).
        for (int i = 0; i < 3; i++) {
            rpc.query(first, "LET $carried = 'over'; USE DB second; RETURN $carried");
            JsonNode next = rpc.query(first, "RETURN $carried; SELECT VALUE text FROM note");
            assertThat(next.get(0).get("result").isNull() || next.get(0).get("result").isMissingNode())
                    .as("a LET of the request before: %s", next).isTrue();
            assertThat(next.get(1).get("result")).as("the database of the headers, not of a USE before")
                    .extracting(JsonNode::asString).containsExactly("first");
        }
    }

    @Test
    void selectsANamespaceAndDatabaseWithoutCreatingThem() {
        Selection missing = new Selection("missing_ns", "missing_db");

        JsonNode created = rpc.query(missing, "CREATE thing:1");
        assertThat(created.get(0).get("status").asString()).isEqualTo("ERR");
        assertThat(created.get(0).get("result").asString()).isEqualTo("The namespace 'missing_ns' does not exist");
        assertThat(rpc.query(null, "INFO FOR ROOT").get(0).get("result").get("namespaces").has("missing_ns")).isFalse();

        JsonNode defined = rpc.query(missing, "DEFINE NAMESPACE IF NOT EXISTS missing_ns; DEFINE DATABASE IF NOT EXISTS missing_db; CREATE thing:1");
        assertThat(statuses(defined)).containsExactly("OK", "OK", "OK");
    }

    @Test
    void forwardsTheRequestBytesUntouched() {
        // Neither value fits a double: decoded into JavaScript numbers and encoded again, both would change.
        JsonNode returned = rpc.query(null, "RETURN [$amount, $count]",
                Map.of("amount", new Decimal("1234567890123456789.12345678"), "count", 9_007_199_254_740_993L));
        JsonNode values = returned.get(0).get("result");
        assertThat(values.get(0).asString()).isEqualTo("1234567890123456789.12345678");
        assertThat(values.get(1).asLong()).isEqualTo(9_007_199_254_740_993L);
    }

    @Test
    void refusesRequestsTheServerRefuses() {
        byte[] ping = Rpc.encode(Map.of("method", "ping"));
        assertThat(rpc.post(ping, Map.of()).statusCode()).as("no Content-Type").isEqualTo(400);
        assertThat(rpc.post(ping, Map.of("Content-Type", "text/plain")).statusCode()).isEqualTo(415);
        assertThat(rpc.post(ping, Map.of("Content-Type", "application/cbor", "Accept", "*/*")).statusCode()).isEqualTo(415);
        assertThat(rpc.post(new byte[4 * 1024 * 1024 + 1], Rpc.CBOR_HEADERS).statusCode()).isEqualTo(413);
    }

    @Test
    void refusesWrongCredentialsAndAnonymousQueries() {
        String wrongPassword = "Basic " + Base64.getEncoder().encodeToString("root:wrong".getBytes(StandardCharsets.UTF_8));
        byte[] query = Rpc.encode(Map.of("method", "query", "params", List.of("RETURN 1")));

        assertThat(rpc.post(query, Rpc.cborHeaders("Authorization", wrongPassword)).statusCode()).isEqualTo(401);
        assertThat(rpc.post(query, Rpc.cborHeaders("Authorization", "Bearer not-a-token")).statusCode()).isEqualTo(401);

        HttpResponse<byte[]> anonymous = rpc.post(query, Rpc.CBOR_HEADERS);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        JsonNode error = Rpc.decode(anonymous.body()).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(-32002);
        assertThat(error.get("message").asString()).startsWith("Anonymous access not allowed");

        JsonNode version = Rpc.decode(rpc.post(Rpc.encode(Map.of("method", "version")), Rpc.CBOR_HEADERS).body());
        assertThat(version.get("result").asString()).startsWith("surrealdb-");
    }

    @Test
    void keepsDataOnDiskAcrossRestarts(@TempDir Path dataPath) {
        try (SurrealDbServer first = SurrealDbServer.start(Options.onDisk(dataPath))) {
            Rpc onFirst = Rpc.signedIn(first, "root", "root");
            onFirst.query(onFirst.defined("disk_ns", "disk_db"), "CREATE kept:1 SET value = 'survives'");
        }
        try (SurrealDbServer second = SurrealDbServer.start(Options.onDisk(dataPath))) {
            Rpc onSecond = Rpc.signedIn(second, "root", "root");
            JsonNode kept = onSecond.query(new Selection("disk_ns", "disk_db"), "SELECT VALUE value FROM kept:1");
            assertThat(kept.get(0).get("result")).extracting(JsonNode::asString).containsExactly("survives");
        }
    }

    /**
     * The catalog's stock counters depend on it: concurrent transactions that change one record either all count or
     * are refused as conflicts (and tried again). The engine's SurrealKV store lost a few of 2,400 such updates, its
     * memory store 8 to 45 of 3,600 (two fields of one record), so neither is used.
     */
    @Test
    void concurrentUpdatesOfOneRecordOnDiskAllCount(@TempDir Path dataPath) throws Exception {
        try (SurrealDbServer onDisk = SurrealDbServer.start(Options.onDisk(dataPath))) {
            assertConcurrentUpdatesAllCount(onDisk);
        }
    }

    @Test
    void concurrentUpdatesOfOneRecordWithoutADataPathAllCount() throws Exception {
        assertConcurrentUpdatesAllCount(server);
    }

    /** Twelve clients, half incrementing one field of a record and half another, each update tried until it commits. */
    private static void assertConcurrentUpdatesAllCount(SurrealDbServer server) throws Exception {
        int clients = 12;
        int updatesEach = 150;
        Rpc rpc = Rpc.signedIn(server, "root", "root");
        Selection stock = rpc.defined("counter_ns", "stock_" + UUID.randomUUID().toString().replace("-", ""));
        rpc.query(stock, "CREATE counter:hot SET n = 0, m = 0");
        AtomicInteger conflicts = new AtomicInteger();
        try (ExecutorService threads = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> running = new ArrayList<>();
            for (int client = 0; client < clients; client++) {
                String update = client % 2 == 0 ? "BEGIN; UPDATE counter:hot SET n += 1; COMMIT;"
                        : "BEGIN; UPDATE counter:hot SET m += 1; COMMIT;";
                running.add(threads.submit(() -> {
                    for (int done = 0; done < updatesEach; done++) {
                        while (!statuses(rpc.query(stock, update)).stream().allMatch("OK"::equals)) {
                            conflicts.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        }
        log.info("{} updates from {} clients, {} conflicts tried again", clients * updatesEach, clients, conflicts);
        JsonNode counter = rpc.query(stock, "SELECT n, m FROM counter:hot").get(0).get("result").get(0);
        assertThat(List.of(counter.get("n").asInt(), counter.get("m").asInt()))
                .containsExactly(clients / 2 * updatesEach, clients / 2 * updatesEach);
    }

    @Test
    void refusesADataPathThatAnotherServerHolds(@TempDir Path dataPath) {
        try (SurrealDbServer ignored = SurrealDbServer.start(Options.onDisk(dataPath))) {
            assertThatThrownBy(() -> SurrealDbServer.start(Options.onDisk(dataPath)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot open " + dataPath)
                    .hasMessageContaining("another process holds it");
        }
    }

    @Test
    void listensOnTheGivenPortWithTheGivenRootUser() {
        int freePort = PlatformPorts.freePort();
        Options options = Options.temporary().withPort(freePort).withCredentials("admin", "s3cret \"quoted\"");
        try (SurrealDbServer custom = SurrealDbServer.start(options)) {
            assertThat(custom.url()).isEqualTo("http://127.0.0.1:" + freePort);
            assertThat(Rpc.signedIn(custom, "admin", "s3cret \"quoted\"").query(null, "RETURN 1").get(0).get("result").asInt())
                    .isEqualTo(1);
        }
    }

    @Test
    void startsInWellUnderASecond() {
        long started = System.nanoTime();
        try (SurrealDbServer quick = SurrealDbServer.start(Options.temporary())) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            log.info("SurrealDbServer started in {} ms", millis);
            assertThat(quick.port()).isPositive();
        }
    }

    private static List<String> statuses(JsonNode statements) {
        List<String> statuses = new ArrayList<>();
        statements.forEach(statement -> statuses.add(statement.get("status").asString()));
        return statuses;
    }

    /** The namespace and database a request names in its Surreal-NS and Surreal-DB headers. */
    private record Selection(String namespace, String database) {
    }

    /** A SurrealDB decimal: CBOR tag 10 around its text, never a floating-point number. */
    private record Decimal(String text) {
    }

    /** Just enough of SurrealDB's HTTP RPC: CBOR request envelopes in, CBOR responses out (read without their tags). */
    private static final class Rpc {

        static final Map<String, String> CBOR_HEADERS = Map.of("Content-Type", "application/cbor", "Accept", "application/cbor");

        private static final CBORMapper CBOR = CBORMapper.builder()
                .addModule(new SimpleModule().addSerializer(Decimal.class, new ValueSerializer<>() {
                    @Override
                    public void serialize(Decimal decimal, JsonGenerator generator, SerializationContext context) {
                        ((CBORGenerator) generator).writeTag(10);
                        generator.writeString(decimal.text());
                    }
                }))
                .build();
        // HTTP/1.1 as the services' client speaks it; the timeout turns a stuck exchange into a failure, not a hang.
        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        private final String url;
        private final String token;

        private Rpc(String url, String token) {
            this.url = url;
            this.token = token;
        }

        static Rpc signedIn(SurrealDbServer server, String username, String password) {
            Rpc anonymous = new Rpc(server.url(), null);
            JsonNode signin = decode(anonymous.post(encode(Map.of("method", "signin",
                    "params", List.of(Map.of("user", username, "pass", password)))), CBOR_HEADERS).body());
            assertThat(signin.has("result")).as("signin answered %s", signin).isTrue();
            return new Rpc(server.url(), signin.get("result").asString());
        }

        static Map<String, String> cborHeaders(String name, String value) {
            Map<String, String> headers = new LinkedHashMap<>(CBOR_HEADERS);
            headers.put(name, value);
            return headers;
        }

        static byte[] encode(Object envelope) {
            return CBOR.writeValueAsBytes(envelope);
        }

        static JsonNode decode(byte[] response) {
            return CBOR.readTree(response);
        }

        /** Defines the namespace and database if needed, as services do at start-up. */
        Selection defined(String namespace, String database) {
            Selection selection = new Selection(namespace, database);
            JsonNode defined = query(selection, "DEFINE NAMESPACE IF NOT EXISTS " + namespace + "; DEFINE DATABASE IF NOT EXISTS " + database);
            assertThat(statuses(defined)).containsExactly("OK", "OK");
            return selection;
        }

        JsonNode query(Selection selection, String sql) {
            return query(selection, sql, Map.of());
        }

        /** Runs SurrealQL with the token and returns one entry per statement. */
        JsonNode query(Selection selection, String sql, Map<String, Object> variables) {
            Map<String, String> headers = cborHeaders("Authorization", "Bearer " + token);
            if (selection != null) {
                headers.put("Surreal-NS", selection.namespace());
                headers.put("Surreal-DB", selection.database());
            }
            HttpResponse<byte[]> response = post(encode(Map.of("method", "query", "params", List.of(sql, variables))), headers);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = decode(response.body());
            assertThat(answer.has("result")).as("query answered %s", answer).isTrue();
            return answer.get("result");
        }

        HttpResponse<byte[]> post(byte[] body, Map<String, String> headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/rpc")).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            return send(request.build());
        }

        HttpResponse<byte[]> get(String path) {
            return send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60)).GET().build());
        }

        private static HttpResponse<byte[]> send(HttpRequest request) {
            try {
                return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
