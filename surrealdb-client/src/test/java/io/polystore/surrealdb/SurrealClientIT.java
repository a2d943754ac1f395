package io.polystore.surrealdb;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.surrealdb.http.HttpRpcSettings;
import io.polystore.surrealdb.http.HttpRpcTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against the real SurrealDB engine. */
class SurrealClientIT {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private HttpRpcSettings settings;
    private SurrealClient client;

    @BeforeEach
    void connect() {
        settings = TestDatabases.freshSettings();
        client = TestDatabases.freshClient(settings, meters);
        client.query("DEFINE TABLE thing SCHEMALESS").requireSuccess();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void roundTripsEverySurrealDbTypeThroughTheServer() {
        UUID uuid = UUID.randomUUID();
        Instant instant = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("text", "plain");
        document.put("int", 42L);
        document.put("float", 2.5d);
        document.put("decimal", new BigDecimal("1234567890.123456789"));
        document.put("bool", true);
        document.put("nothing", null);
        document.put("uuid", uuid);
        document.put("at", instant);
        document.put("took", Duration.ofMillis(1500));
        document.put("ref", RecordId.of("product", "p-1"));
        document.put("ids", List.of(RecordId.of("t", 1L), RecordId.of("t", uuid), RecordId.of("t", List.of("a", 2L))));
        document.put("tags", new LinkedHashSet<>(List.of("a", "b")));
        document.put("span", SurrealRange.closed(1L, 10L));
        document.put("where", new Geometry.Point(-0.12, 51.5));
        document.put("nested", Map.of("list", List.of(1L, "two")));

        Map<String, Object> stored = client.query("CREATE ONLY thing:1 CONTENT $doc", Map.of("doc", document))
                .firstRow(0).orElseThrow();

        Map<String, Object> expected = new LinkedHashMap<>(document);
        expected.put("id", RecordId.of("thing", 1L));
        assertThat(stored).containsAllEntriesOf(expected);
        assertThat(stored.get("tags")).isInstanceOf(Set.class);
        assertThat(client.query("SELECT * FROM ONLY thing:1").result(0)).isEqualTo(stored);
    }

    @Test
    void keepsNoneApartFromNull() {
        client.query("CREATE thing:1 SET a = NULL, b = NONE, c = 1").requireSuccess();

        Map<String, Object> all = client.query("SELECT * FROM ONLY thing:1").firstRow(0).orElseThrow();
        Map<String, Object> named = client.query("SELECT a, b, c FROM ONLY thing:1").firstRow(0).orElseThrow();

        assertThat(all).containsEntry("a", null).doesNotContainKey("b");
        assertThat(named).containsEntry("a", null).containsEntry("b", SurrealNone.NONE);
        assertThat(client.query("RETURN [$none = NONE, $null = NULL]", mapOf("none", SurrealNone.NONE, "null", null))
                .result(0)).isEqualTo(List.of(true, true));
    }

    @Test
    void decimalsStayExactDecimals() {
        // SurrealDB itself normalises decimals (10.00 comes back as 10): the value is exact, its scale is not kept.
        Object sum = client.query("RETURN $a + $b", Map.of("a", new BigDecimal("0.1"), "b", new BigDecimal("0.2"))).result(0);
        Object stored = client.query("CREATE ONLY thing:1 SET price = $price RETURN VALUE price",
                Map.of("price", new BigDecimal("10.00"))).result(0);

        assertThat(sum).isEqualTo(new BigDecimal("0.3"));
        assertThat(stored).isInstanceOf(BigDecimal.class);
        assertThat((BigDecimal) stored).isEqualByComparingTo("10.00");
        assertThat(client.query("RETURN type::is_decimal($p)", Map.of("p", new BigDecimal("10.0"))).result(0)).isEqualTo(true);
    }

    @Test
    void storesHostileTextLiterallyThroughVariables() {
        List<String> hostile = List.of("'; DELETE thing; --", "\"); REMOVE TABLE thing; //", "$doc", "thing:1",
                "RETURN 1; THROW 'x'", "⟨x⟩ `y` \\ /* z */", "Ωmega 🚀 \u0000 zero", "{ a: 1 }");

        for (int i = 0; i < hostile.size(); i++) {
            client.query("CREATE type::record('thing', $id) SET text = $text", Map.of("id", i, "text", hostile.get(i))).requireSuccess();
        }

        List<Object> read = new ArrayList<>();
        for (Map<String, Object> row : client.query("SELECT text, id FROM thing ORDER BY id").rows(0)) {
            read.add(row.get("text"));
        }
        assertThat(read).containsExactlyElementsOf(hostile);
        assertThat(client.query("SELECT VALUE id FROM thing WHERE text = $t", Map.of("t", "'; DELETE thing; --")).result(0))
                .isEqualTo(List.of(RecordId.of("thing", 0L)));
    }

    @Test
    void reportsAFailedStatementWithoutStoppingTheOthers() {
        QueryResponse response = client.query("CREATE thing:1; CREATE thing:1; CREATE thing:2");

        assertThat(response.get(2)).isInstanceOf(StatementResult.Ok.class);
        assertThatThrownBy(response::requireSuccess)
                .isExactlyInstanceOf(SurrealStatementException.class)
                .hasMessageContaining("Statement 2 (CREATE thing:1) failed [AlreadyExists]");
    }

    @Test
    void rollsBackAFailedTransactionAndNamesTheFailingStatement() {
        QueryResponse response = client.query("""
                BEGIN TRANSACTION;
                CREATE thing:1;
                UPDATE thing:1 SET n = 1;
                THROW 'out of stock for ' + $product;
                CREATE thing:2;
                COMMIT TRANSACTION;
                """, Map.of("product", "p-9"));

        assertThatThrownBy(response::requireSuccess)
                .isInstanceOfSatisfying(SurrealTransactionException.class, e -> {
                    assertThat(e.index()).isEqualTo(3);
                    assertThat(e.kind()).isEqualTo("Thrown");
                    assertThat(e.statement()).isEqualTo("THROW 'out of stock for ' + $product");
                    assertThat(e.getMessage()).contains("out of stock for p-9");
                });
        assertThat(client.query("SELECT * FROM thing").result(0)).isEqualTo(List.of());
    }

    @Test
    void reportsAParseErrorForTheWholeQuery() {
        assertThatThrownBy(() -> client.query("CREATE thing:1; SELEC oops"))
                .isInstanceOfSatisfying(SurrealRpcException.class, e -> {
                    assertThat(e.method()).isEqualTo("query");
                    assertThat(e.getMessage()).contains("Parse error");
                });
        assertThat(client.query("SELECT * FROM thing").rows(0)).isEmpty();
    }

    @Test
    void signsInOnceAndSendsTheTokenAfterwards() {
        for (int i = 0; i < 20; i++) {
            client.query("RETURN $i", Map.of("i", i)).requireSuccess();
        }

        assertThat(timer("signin", "success").count()).isEqualTo(1);
        assertThat(timer("query", "success").count()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void renewsAShortLivedTokenBeforeItExpires() throws Exception {
        client.query("DEFINE USER brief ON ROOT PASSWORD 'brief-pass' ROLES OWNER DURATION FOR TOKEN 2s, FOR SESSION 1h")
                .requireSuccess();
        HttpRpcSettings briefUser = HttpRpcSettings.of(settings.url(), settings.namespace(), settings.database(),
                "brief", "brief-pass");
        SimpleMeterRegistry briefMeters = new SimpleMeterRegistry();
        try (SurrealClient brief = new SurrealClient(new HttpRpcTransport(briefUser, briefMeters))) {
            Instant until = Instant.now().plusSeconds(5);
            int queries = 0;
            while (Instant.now().isBefore(until)) {
                assertThat(brief.query("RETURN 1").result(0)).isEqualTo(1L);
                queries++;
            }

            assertThat(queries).isGreaterThan(10);
            double signins = briefMeters.get(HttpRpcTransport.TIMER).tag("method", "signin").timer().count();
            assertThat(signins).isBetween(2.0, 6.0);
            assertThat(briefMeters.find(HttpRpcTransport.TIMER).tag("outcome", "unauthorized").timer()).isNull();
        } finally {
            client.query("REMOVE USER brief ON ROOT").requireSuccess();
        }
    }

    @Test
    void refusesWrongCredentials() {
        HttpRpcSettings wrong = HttpRpcSettings.of(settings.url(), settings.namespace(), settings.database(), "root", "wrong");

        try (SurrealClient refused = new SurrealClient(new HttpRpcTransport(wrong, meters))) {
            assertThatThrownBy(() -> refused.query("RETURN 1"))
                    .isInstanceOf(SurrealAuthenticationException.class)
                    .hasMessageContaining("refused the credentials of user 'root'")
                    .hasMessageNotContaining("wrong");
        }
    }

    @Test
    void failsWithATransportErrorWhenNothingListens() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        HttpRpcSettings nowhere = HttpRpcSettings.of(URI.create("http://127.0.0.1:" + freePort), "n", "d", "root", "root");

        try (SurrealClient unreachable = new SurrealClient(new HttpRpcTransport(nowhere, meters))) {
            assertThatThrownBy(() -> unreachable.query("RETURN 1"))
                    .isInstanceOf(SurrealTransportException.class)
                    .hasMessageContaining("Cannot connect to SurrealDB at http://127.0.0.1:" + freePort);
        }
    }

    @Test
    void timesOutASlowRequest() {
        try (SurrealClient impatient = new SurrealClient(new HttpRpcTransport(
                settings.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1)), meters))) {
            impatient.query("RETURN 1").requireSuccess();

            assertThatThrownBy(() -> impatient.query("SLEEP 3s"))
                    .isInstanceOf(SurrealTimeoutException.class)
                    .hasMessageContaining("did not answer RPC 'query' within PT1S");
            assertThat(timer("query", "timeout").count()).isEqualTo(1);
        }
    }

    @Test
    void servesConcurrentCallersOnPooledConnections() throws Exception {
        client.query("CREATE counter:1 SET n = 0").requireSuccess();
        try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int value = i;
                results.add(threads.submit(() -> client.query("RETURN $v", Map.of("v", value)).result(0)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo((long) i);
            }
        }
        assertThat(timer("signin", "success").count()).isEqualTo(1);
    }

    @Test
    void callsOtherRpcMethods() {
        client.query("CREATE thing:1 SET n = 1").requireSuccess();

        assertThat(client.version()).startsWith("surrealdb-");
        assertThat(client.rpc("select", RecordId.of("thing", 1))).isEqualTo(Map.of("id", RecordId.of("thing", 1L), "n", 1L));
        assertThat(timer("select", "success").count()).isEqualTo(1);
    }

    private Timer timer(String method, String outcome) {
        Timer timer = meters.find(HttpRpcTransport.TIMER).tag("method", method).tag("outcome", outcome).timer();
        assertThat(timer).as("timer for %s/%s", method, outcome).isNotNull();
        return timer;
    }

    private static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
