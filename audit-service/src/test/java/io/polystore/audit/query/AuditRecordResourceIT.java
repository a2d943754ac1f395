package io.polystore.audit.query;

import io.polystore.audit.AuditDatabase;
import io.polystore.audit.AuditServiceTest;
import io.polystore.audit.chain.AuditAction;
import io.polystore.audit.chain.AuditEntry;
import io.polystore.audit.chain.AuditTrail;
import io.polystore.audit.chain.ChainRecord;
import io.polystore.testkit.SharedServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@AuditServiceTest
class AuditRecordResourceIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    AuditTrail trail;

    @Value("${local.server.port}")
    int port;

    @ParameterizedTest
    @CsvSource({"CUSTOMER,/audit/records", "CATALOG_MANAGER,/audit/records", "ORDER_MANAGER,/audit/records",
            "CUSTOMER,/audit/verify", "ORDER_MANAGER,/audit/verify", "CUSTOMER,/audit/export", "CATALOG_MANAGER,/audit/export"})
    void refusesEveryRoleButAuditorAndAdmin(String role, String path) throws Exception {
        HttpResponse<String> response = send(path, SharedServers.tokens().tokenFor("mallory", role));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).path("status").asInt()).isEqualTo(403);
    }

    @ParameterizedTest
    @CsvSource({"AUDITOR,/audit/records", "ADMIN,/audit/records", "AUDITOR,/audit/verify?from=1&to=1",
            "ADMIN,/audit/verify?from=1&to=1", "AUDITOR,/audit/export?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z"})
    void servesAuditorsAndAdmins(String role, String path) throws Exception {
        assertThat(send(path, SharedServers.tokens().tokenFor("audrey", role)).statusCode()).isEqualTo(200);
    }

    @Test
    void pagesThroughASearchWithAStableCursorWhileTheTrailGrows() throws Exception {
        String actor = "pager-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<ChainRecord> stored = append(actor, "someone", AuditAction.PERSONAL_DATA_READ, now, 5);

        JsonNode first = get("/audit/records?actor=" + actor + "&limit=2");
        append(actor, "someone", AuditAction.PERSONAL_DATA_READ, now, 1);
        JsonNode second = get("/audit/records?actor=" + actor + "&limit=2&cursor=" + first.path("nextCursor").asString());
        JsonNode third = get("/audit/records?actor=" + actor + "&limit=2&cursor=" + second.path("nextCursor").asString());

        List<Long> positions = new ArrayList<>();
        for (JsonNode page : List.of(first, second, third)) {
            page.path("records").forEach(record -> positions.add(record.path("position").asLong()));
        }
        assertThat(positions).hasSize(6).doesNotHaveDuplicates().isSorted();
        assertThat(positions.subList(0, 5)).containsExactlyElementsOf(stored.stream().map(ChainRecord::position).toList());
        assertThat(third.path("nextCursor").isNull() || third.path("nextCursor").isMissingNode()).isTrue();
        assertThat(first.path("records").get(0).path("actor").asString()).isEqualTo(actor);
        assertThat(first.path("records").get(0).path("clientAddress").asString()).isEqualTo("203.0.113.7");
        assertThat(first.path("records").get(0).path("personalDataReadable").asBoolean()).isTrue();
    }

    @Test
    void searchesBySubjectActionAndTimeTogether() throws Exception {
        String subject = "customer-" + UUID.randomUUID();
        Instant monday = Instant.parse("2026-03-02T09:00:00Z");
        append("clerk", subject, AuditAction.PERSONAL_DATA_READ, monday, 1);
        append("clerk", subject, AuditAction.PERSONAL_DATA_CHANGE, monday.plusSeconds(60), 1);
        append("clerk", subject, AuditAction.PERSONAL_DATA_CHANGE, monday.plus(2, ChronoUnit.DAYS), 1);
        append("clerk", "someone-else", AuditAction.PERSONAL_DATA_CHANGE, monday.plusSeconds(60), 1);

        JsonNode found = get("/audit/records?subject=" + subject + "&action=PERSONAL_DATA_CHANGE"
                + "&from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z").path("records");

        assertThat(found.size()).isEqualTo(1);
        assertThat(found.get(0).path("subject").asString()).isEqualTo(subject);
        assertThat(found.get(0).path("occurredAt").asString()).isEqualTo("2026-03-02T09:01:00Z");
    }

    @Test
    void exportsTheRecordsOfAPeriodAsNdjsonWithTheirStoredForm() throws Exception {
        Instant day = Instant.parse("2025-06-01T00:00:00Z");
        String actor = "exporter-" + UUID.randomUUID();
        List<ChainRecord> stored = append(actor, "customer-9", AuditAction.PERSONAL_DATA_ERASE, day.plusSeconds(3600), 3);

        HttpResponse<String> response = send("/audit/export?from=2025-06-01T00:00:00Z&to=2025-06-02T00:00:00Z",
                SharedServers.tokens().tokenFor("audrey", "AUDITOR"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/x-ndjson"));
        List<JsonNode> lines = response.body().lines().map(JSON::readTree)
                .filter(line -> line.path("actor").asString().equals(actor)).toList();
        assertThat(lines).hasSize(3);
        JsonNode first = lines.getFirst();
        assertThat(first.path("position").asLong()).isEqualTo(stored.getFirst().position());
        assertThat(first.path("subject").asString()).isEqualTo("customer-9");
        assertThat(first.path("stored").path("personal").asString()).isNotBlank();
        assertThat(first.path("stored").path("details").asString()).isEqualTo(stored.getFirst().details());
        assertThat(first.path("recordHash").asString()).hasSize(64);
    }

    @Test
    void everySearchAndExportIsItselfRecordedAsAReadOfPersonalData() throws Exception {
        String auditor = "auditor-" + UUID.randomUUID();
        String customer = "customer-" + UUID.randomUUID();
        String token = SharedServers.tokens().tokenFor(auditor, "AUDITOR");
        assertThat(send("/audit/records?subject=" + customer + "&action=PERSONAL_DATA_CHANGE", token).statusCode())
                .isEqualTo(200);
        assertThat(send("/audit/export?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z", token).statusCode())
                .isEqualTo(200);

        JsonNode reads = get("/audit/records?actor=" + auditor).path("records");

        assertThat(reads.size()).isEqualTo(2);
        JsonNode search = reads.get(0);
        assertThat(search.path("type").asString()).isEqualTo("io.polystore.audit.AuditTrailRead");
        assertThat(search.path("action").asString()).isEqualTo("PERSONAL_DATA_READ");
        assertThat(search.path("subject").asString()).isEqualTo(customer);
        assertThat(search.path("details").path("endpoint").asString()).isEqualTo("/audit/records");
        assertThat(search.path("details").path("criteria").toString()).isEqualTo("[\"subject\",\"action\"]");
        JsonNode export = reads.get(1);
        assertThat(export.path("subject").asString()).isEqualTo("audit-trail");
        assertThat(export.path("details").path("endpoint").asString()).isEqualTo("/audit/export");
        assertThat(get("/audit/records?subject=" + customer).path("records").get(0).path("actor").asString())
                .isEqualTo(auditor);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/audit/records?cursor=bm90LWEtY3Vyc29y|cursor",
            "/audit/records?limit=0|limit",
            "/audit/records?limit=1001|limit",
            "/audit/records?from=yesterday|from",
            "/audit/records?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z|to",
            "/audit/records?action=ACCESS_MAYBE|action",
            "/audit/records?actor=%20|actor",
            "/audit/export?to=soon|to",
            "/audit/verify?from=0|from"})
    void refusesBadParametersNamingThem(String path, String parameter) throws Exception {
        HttpResponse<String> response = send(path, SharedServers.tokens().tokenFor("audrey", "AUDITOR"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("errors").get(0).path("field").asString()).isEqualTo(parameter);
    }

    private List<ChainRecord> append(String actor, String subject, AuditAction action, Instant occurredAt, int count) {
        List<AuditEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(AuditDatabase.entry(actor, subject, action, occurredAt));
        }
        return trail.append(entries).stored();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send(path, SharedServers.tokens().tokenFor("audrey", "AUDITOR"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
