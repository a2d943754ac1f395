package io.polystore.sync.reconciliation;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.EventEnvelope;
import io.polystore.events.ReleaseStock;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.sync.support.SyncServiceTest;
import io.polystore.sync.support.TopicRecords;
import io.polystore.testkit.SharedServers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.polystore.sync.support.SourceRows.order;
import static io.polystore.sync.support.SourceRows.reservation;
import static io.polystore.sync.support.TopicRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SyncServiceTest
class ReconciliationIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant SETTLED = Instant.now().minus(Duration.ofMinutes(30));
    private static final Map<String, Integer> TWO_BOOKS = Map.of("book", 2);

    @Value("${local.server.port}") int port;
    @Autowired Reconciliation reconciliation;
    @Autowired KafkaEventBinding binding;
    @Autowired MeterRegistry registry;

    private final String admin = SharedServers.tokens().tokenFor("root", "ADMIN");

    @Test
    void consistentOrdersAndSagasInFlightAreNoDrift() {
        UUID confirmed = order("CONFIRMED", "CONFIRMED", SETTLED, Map.of("book", 2, "pen", 1));
        reservation(confirmed, "CONFIRMED", SETTLED, Map.of("book", 2, "pen", 1));
        UUID released = order("CANCELLED", "CANCELLED", SETTLED, TWO_BOOKS);
        reservation(released, "RELEASED", SETTLED, TWO_BOOKS);
        UUID rejected = order("REJECTED", "REJECTED", SETTLED, TWO_BOOKS);
        reservation(rejected, "REJECTED", SETTLED, TWO_BOOKS);
        UUID awaitingStock = order("PENDING", "AWAITING_STOCK", SETTLED, TWO_BOOKS);
        reservation(awaitingStock, "RESERVED", SETTLED, TWO_BOOKS);
        UUID releasing = order("CANCELLED", "RELEASING", SETTLED, TWO_BOOKS);
        reservation(releasing, "CONFIRMED", SETTLED, TWO_BOOKS);
        UUID justConfirmed = order("CONFIRMED", "CONFIRMED", Instant.now(), TWO_BOOKS);
        reservation(justConfirmed, "RESERVED", SETTLED, TWO_BOOKS);

        Response response = post(admin, null);

        assertThat(response.status()).isEqualTo(201);
        JsonNode run = response.body();
        assertThat(response.header("Location")).startsWith("http://localhost:")
                .endsWith("/reconciliation/runs/" + run.path("id").asString());
        assertThat(run.path("trigger").asString()).isEqualTo("MANUAL");
        assertThat(run.path("repair").asBoolean()).isFalse();
        assertThat(Instant.parse(run.path("finishedAt").asString())).isAfterOrEqualTo(Instant.parse(run.path("startedAt").asString()));
        // The confirmed orders, and the orders of reservations holding stock.
        assertThat(run.path("ordersChecked").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(run.path("reservationsChecked").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(run.path("driftCount").asInt()).isEqualTo(run.path("drift").size());
        assertThat(driftOrderIds(run)).doesNotContainAnyElementsOf(Stream.of(confirmed, released, rejected, awaitingStock,
                releasing, justConfirmed).map(UUID::toString).toList());
    }

    @Test
    void findsEachKindOfDriftWithItsOrderAndOnlyListsTheCompensationInADryRun() {
        UUID withoutReservation = order("CONFIRMED", "CONFIRMED", SETTLED, TWO_BOOKS);
        UUID notConfirmed = order("CONFIRMED", "CONFIRMED", SETTLED, TWO_BOOKS);
        reservation(notConfirmed, "EXPIRED", SETTLED, TWO_BOOKS);
        UUID cancelled = order("CANCELLED", "CANCELLED", SETTLED, TWO_BOOKS);
        reservation(cancelled, "RESERVED", SETTLED, TWO_BOOKS);
        UUID missing = UUID.randomUUID();
        reservation(missing, "CONFIRMED", SETTLED, Map.of("pen", 3));
        UUID mismatch = order("CONFIRMED", "CONFIRMED", SETTLED, TWO_BOOKS);
        reservation(mismatch, "CONFIRMED", SETTLED, Map.of("book", 3));

        Response response = post(admin, "{\"repair\": false}");

        assertThat(response.status()).isEqualTo(201);
        JsonNode run = response.body();
        assertThat(run.path("repair").asBoolean()).isFalse();
        assertDrift(run, withoutReservation, "CONFIRMED_WITHOUT_RESERVATION", "order CONFIRMED, no reservation", null);
        assertDrift(run, notConfirmed, "CONFIRMED_WITHOUT_RESERVATION", "order CONFIRMED, reservation EXPIRED", null);
        assertDrift(run, cancelled, "RESERVATION_WITHOUT_LIVE_ORDER", "reservation RESERVED holds book x2, order CANCELLED", false);
        assertDrift(run, missing, "RESERVATION_WITHOUT_LIVE_ORDER", "reservation CONFIRMED holds pen x3, no order", false);
        assertDrift(run, mismatch, "QUANTITY_MISMATCH", "ordered book x2, reserved book x3", null);
        for (DriftKind kind : DriftKind.values()) {
            long inRun = run.path("drift").valueStream().filter(d -> d.path("kind").asString().equals(kind.name())).count();
            assertThat(registry.get("polystore.sync.reconciliation.drift").tag("kind", kind.name()).gauge().value())
                    .as("drift gauge of %s", kind).isEqualTo(inRun).isPositive();
        }
        assertThat(registry.get("polystore.sync.reconciliation.runs").tag("trigger", "MANUAL").tag("outcome", "success")
                .timer().count()).isPositive();
    }

    @Test
    void aRepairPublishesReleaseStockForAReservationWithoutALiveOrderAndADryRunPublishesNothing() {
        UUID rejected = order("REJECTED", "REJECTED", SETTLED, TWO_BOOKS);
        reservation(rejected, "RESERVED", SETTLED, TWO_BOOKS);

        JsonNode dryRun = post(admin, null).body();
        JsonNode repair = post(admin, "{\"repair\": true}").body();

        assertDrift(dryRun, rejected, "RESERVATION_WITHOUT_LIVE_ORDER", "reservation RESERVED holds book x2, order REJECTED", false);
        assertThat(repair.path("repair").asBoolean()).isTrue();
        assertDrift(repair, rejected, "RESERVATION_WITHOUT_LIVE_ORDER", "reservation RESERVED holds book x2, order REJECTED", true);
        try (TopicRecords commands = new TopicRecords(Topics.CATALOG_COMMANDS)) {
            List<ConsumerRecord<String, byte[]>> published = await().atMost(Duration.ofSeconds(30))
                    .until(() -> commands.matching(r -> r.key().equals(rejected.toString())), records -> !records.isEmpty());
            // One key, one partition: had the dry run published, its record would come before the repair's.
            assertThat(published).hasSize(1);
            EventEnvelope command = binding.fromConsumerRecord(published.getFirst());
            assertThat(command.data()).isEqualTo(new ReleaseStock(rejected,
                    "reconciliation: reservation RESERVED without a live order (order REJECTED)"));
            assertThat(command.source()).isEqualTo(URI.create("/sync-service"));
            assertThat(header(published.getFirst(), "ce_type")).isEqualTo("io.polystore.catalog.ReleaseStock");
            assertThat(header(published.getFirst(), "content-type")).isEqualTo("application/json");
        }
    }

    @Test
    void storesRunsAndServesThemToAdministrators() {
        JsonNode created = post(admin, "{}").body();

        Response fetched = get(admin, "/reconciliation/runs/" + created.path("id").asString());
        Response recent = get(admin, "/reconciliation/runs?limit=5");

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(created);
        assertThat(recent.status()).isEqualTo(200);
        assertThat(recent.body().get(0)).isEqualTo(created);
        assertThat(recent.body().size()).isLessThanOrEqualTo(5);
        Response unknown = get(admin, "/reconciliation/runs/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(unknown.body().path("status").asInt()).isEqualTo(404);
        assertThat(get(admin, "/reconciliation/runs?limit=0").status()).isEqualTo(400);
    }

    @Test
    void onlyAdministratorsRunOrReadReconciliations() {
        String manager = SharedServers.tokens().tokenFor("mia", "ORDER_MANAGER", "CATALOG_MANAGER", "AUDITOR");
        String runId = post(admin, null).body().path("id").asString();

        Response forbidden = post(manager, null);
        Response unauthenticated = post(null, null);

        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(get(manager, "/reconciliation/runs/" + runId).status()).isEqualTo(403);
        assertThat(get(manager, "/reconciliation/runs").status()).isEqualTo(403);
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(unauthenticated.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(get(null, "/reconciliation/runs/" + runId).status()).isEqualTo(401);
    }

    @Test
    void refusesABadBodyAsProblemDetailsNamingTheField() {
        Response unknownField = post(admin, "{\"repair\": true, \"force\": true}");
        Response wrongType = post(admin, "{\"repair\": \"yes\"}");
        Response malformed = post(admin, "{\"repair\": ");

        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(unknownField.body().path("errors").get(0).path("field").asString()).isEqualTo("force");
        assertThat(unknownField.body().path("errors").get(0).path("reason").asString()).isEqualTo("unknown field");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body().path("errors").get(0).path("field").asString()).isEqualTo("repair");
        assertThat(malformed.status()).isEqualTo(400);
    }

    @Test
    void theScheduledRunRunsOnOneReplicaOncePerInterval() throws Exception {
        // Another replica holds the lock while it runs.
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        DriverManagerDataSource sync = new DriverManagerDataSource(SharedServers.postgres().jdbcUrl("sync"),
                SharedServers.postgres().username(), SharedServers.postgres().password());
        CompletableFuture<Void> otherReplica = CompletableFuture.runAsync(() -> new TransactionTemplate(
                new DataSourceTransactionManager(sync)).executeWithoutResult(status -> {
            assertThat(JdbcClient.create(sync).sql("SELECT pg_try_advisory_xact_lock(hashtextextended('polystore.sync.reconciliation', 0))")
                    .query(Boolean.class).single()).isTrue();
            locked.countDown();
            awaitQuietly(done);
        }));
        locked.await(30, TimeUnit.SECONDS);
        Optional<ReconciliationRun> whileLocked = reconciliation.runScheduled();
        done.countDown();
        otherReplica.get(30, TimeUnit.SECONDS);

        Optional<ReconciliationRun> scheduled = reconciliation.runScheduled();
        Optional<ReconciliationRun> tooSoon = reconciliation.runScheduled();

        assertThat(whileLocked).isEmpty();
        assertThat(scheduled).hasValueSatisfying(run -> {
            assertThat(run.trigger()).isEqualTo(ReconciliationRun.Trigger.SCHEDULED);
            assertThat(run.repair()).isFalse();
            assertThat(reconciliation.find(run.id())).contains(run);
        });
        assertThat(tooSoon).isEmpty();
    }

    private void assertDrift(JsonNode run, UUID orderId, String kind, String detail, Boolean emitted) {
        List<JsonNode> found = run.path("drift").valueStream()
                .filter(drift -> drift.path("orderId").asString().equals(orderId.toString())).toList();
        assertThat(found).as("drift of order %s in %s", orderId, run).hasSize(1);
        JsonNode drift = found.getFirst();
        assertThat(drift.path("kind").asString()).isEqualTo(kind);
        assertThat(drift.path("detail").asString()).isEqualTo(detail);
        if (emitted == null) {
            assertThat(drift.path("compensation").isNull()).as("no compensation for %s", kind).isTrue();
        } else {
            assertThat(drift.path("compensation").path("command").asString()).isEqualTo("ReleaseStock");
            assertThat(drift.path("compensation").path("emitted").asBoolean()).isEqualTo(emitted);
        }
    }

    private static List<String> driftOrderIds(JsonNode run) {
        return run.path("drift").valueStream().map(drift -> drift.path("orderId").asString()).toList();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Response(int status, HttpResponse<String> raw, JsonNode body) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private Response post(String token, String body) {
        HttpRequest.Builder request = request("/reconciliation/runs", token)
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request);
    }

    private Response get(String token, String path) {
        return send(request(path, token).GET());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response,
                    response.body().isBlank() ? JSON.missingNode() : JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
