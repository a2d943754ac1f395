package io.polystore.sync.relay;

import io.polystore.events.EventCodec;
import io.polystore.events.EventEnvelope;
import io.polystore.events.StockReleased;
import io.polystore.events.Topics;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.sync.support.CatalogOutbox;
import io.polystore.sync.support.SourceStores;
import io.polystore.sync.support.TopicRecords;
import io.polystore.testkit.SurrealDbEndpoint;
import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import io.polystore.testkit.spring.UseTestTokens;
import io.polystore.testkit.surrealdb.SurrealDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.polystore.sync.support.TopicRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness follows the relays: the SurrealDB relay of this context reads a SurrealDB server of its own, which the
 * test stops and starts again with its data. Only that relay runs here, under its own source name, so that its lock
 * and cursor are not the shared context's; the context is closed afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UsePostgres(database = "sync")
@UseKafka
@UseTestTokens
@ContextConfiguration(initializers = SourceStores.class)
@TestPropertySource(properties = {
        "polystore.sync.postgres.enabled=false",
        "polystore.sync.surrealdb.source=surrealdb-readiness",
        "polystore.sync.leadership.retry-interval=200ms"})
@DirtiesContext
class RelayReadinessIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static SurrealDbServer.Options options;
    private static SurrealDbServer surreal;

    @Value("${local.server.port}") int port;
    @Autowired EventCodec codec;

    @DynamicPropertySource
    static void ownSurrealDb(DynamicPropertyRegistry registry) throws IOException {
        options = SurrealDbServer.Options.onDisk(Files.createTempDirectory("relay-readiness-surrealdb"));
        surreal = SurrealDbServer.start(options);
        options = options.withPort(surreal.port());
        SourceStores.migrateCatalog(endpoint());
        registry.add("polystore.surrealdb.url", surreal::url);
        registry.add("polystore.surrealdb.username", surreal::username);
        registry.add("polystore.surrealdb.password", surreal::password);
    }

    @AfterAll
    static void stopSurrealDb() {
        surreal.close();
    }

    @Test
    void notReadyWhileTheRelaysStoreIsDownAndReadyAgainWithNothingLost() {
        await().atMost(WITHIN).untilAsserted(() -> {
            JsonNode relays = relays();
            assertThat(relays.path("status").asString()).isEqualTo("UP");
            assertThat(relays.path("components").path("surrealdb-readiness").path("status").asString()).isEqualTo("UP");
        });
        UUID order = UUID.randomUUID();
        List<String> written = new ArrayList<>(write(order, "before"));

        surreal.close();
        await().atMost(WITHIN).untilAsserted(() -> {
            JsonNode readiness = readiness();
            assertThat(readiness.path("status").asString()).isEqualTo("DOWN");
            assertThat(readiness.path("components").path("relays").path("status").asString()).isEqualTo("DOWN");
            assertThat(readiness.path("components").path("relays").path("components").path("surrealdb-readiness")
                    .path("status").asString()).isEqualTo("DOWN");
        });

        surreal = SurrealDbServer.start(options);
        written.addAll(write(order, "after"));
        await().atMost(WITHIN).untilAsserted(() -> assertThat(readiness().path("status").asString()).isEqualTo("UP"));
        try (TopicRecords topic = new TopicRecords(Topics.CATALOG_EVENTS)) {
            List<String> relayed = await().atMost(WITHIN).until(
                    () -> topic.matching(r -> r.key().equals(order.toString())).stream().map(r -> header(r, "ce_id")).distinct().toList(),
                    ids -> ids.size() >= written.size());
            assertThat(relayed).containsExactlyElementsOf(written);
        }
    }

    private List<String> write(UUID order, String reservation) {
        try (SurrealClient client = outbox()) {
            return new CatalogOutbox(client, codec).write(List.of(new StockReleased(order, reservation + "-1"),
                    new StockReleased(order, reservation + "-2"))).stream().map(EventEnvelope::id).toList();
        }
    }

    private static SurrealDbEndpoint endpoint() {
        return new SurrealDbEndpoint(surreal.url(), surreal.username(), surreal.password());
    }

    private static SurrealClient outbox() {
        return SourceStores.surrealOutbox(endpoint());
    }

    private JsonNode relays() throws Exception {
        return readiness().path("components").path("relays");
    }

    private JsonNode readiness() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
