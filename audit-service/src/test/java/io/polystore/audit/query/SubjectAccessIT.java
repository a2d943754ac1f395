package io.polystore.audit.query;

import io.polystore.audit.AuditDatabase;
import io.polystore.audit.AuditServiceTest;
import io.polystore.audit.chain.AuditAction;
import io.polystore.audit.chain.AuditTrail;
import io.polystore.testkit.SharedServers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The records about one person, for their right of access (issue 16): {@code GET /audit/subjects/{person}/records}. */
@AuditServiceTest
class SubjectAccessIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    AuditTrail trail;

    @Value("${local.server.port}")
    int port;

    @Test
    void aCustomerReadsEveryRecordAboutThemWithoutTheIdentityOfOthersWhoActed() throws Exception {
        String customer = "nina-" + UUID.randomUUID();
        Instant now = Instant.now();
        trail.append(List.of(
                AuditDatabase.entry(customer, customer, AuditAction.ACCESS_ALLOW, now),
                AuditDatabase.entry("oscar", customer, AuditAction.PERSONAL_DATA_READ, now),
                AuditDatabase.entry("oscar", "someone-else", AuditAction.PERSONAL_DATA_READ, now)));

        JsonNode records = page(customer, customer, "");

        // Theirs, oscar's read of their data, and this read itself, recorded before the search.
        assertThat(records.path("records").size()).isEqualTo(3);
        assertThat(records.path("records").get(2).path("type").asString()).isEqualTo("io.polystore.audit.AuditTrailRead");
        JsonNode own = records.path("records").get(0);
        assertThat(own.path("actor").asString()).isEqualTo(customer);
        assertThat(own.path("clientAddress").asString()).isEqualTo("203.0.113.7");
        JsonNode others = records.path("records").get(1);
        assertThat(others.path("subject").asString()).isEqualTo(customer);
        assertThat(others.path("action").asString()).isEqualTo("PERSONAL_DATA_READ");
        assertThat(others.has("actor")).isFalse();
        assertThat(others.has("clientAddress")).isFalse();
        assertThat(records.toString()).doesNotContain("oscar", "someone-else");
    }

    @Test
    void pagesThroughEveryRecordAndEachReadIsItselfRecorded() throws Exception {
        String customer = "otto-" + UUID.randomUUID();
        Instant now = Instant.now();
        List<io.polystore.audit.chain.AuditEntry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(AuditDatabase.entry(customer, customer, AuditAction.ACCESS_ALLOW, now));
        }
        trail.append(entries);

        JsonNode first = page(customer, customer, "?limit=3");
        JsonNode second = page(customer, customer, "?limit=3&cursor=" + first.path("nextCursor").asString());

        assertThat(first.path("records").size()).isEqualTo(3);
        // The second page also holds the record of the first read.
        assertThat(second.path("records").size()).isEqualTo(3);
        assertThat(second.path("records").get(2).path("type").asString()).isEqualTo("io.polystore.audit.AuditTrailRead");
        assertThat(second.path("records").get(2).path("details").path("endpoint").asString())
                .isEqualTo("/audit/subjects/" + customer + "/records");
    }

    @Test
    void onlyThePersonThemselfAndAdministratorsMayRead() throws Exception {
        String customer = "pia-" + UUID.randomUUID();
        String path = "/audit/subjects/" + customer + "/records";

        assertThat(send(path, SharedServers.tokens().tokenFor("mallory", "CUSTOMER")).statusCode()).isEqualTo(403);
        assertThat(send(path, SharedServers.tokens().tokenFor(customer, "ORDER_MANAGER")).statusCode()).isEqualTo(403);
        assertThat(send(path, SharedServers.tokens().tokenFor("audrey", "AUDITOR")).statusCode()).isEqualTo(403);
        assertThat(send(path, SharedServers.tokens().tokenFor("adam", "ADMIN")).statusCode()).isEqualTo(200);
        assertThat(send(path + "?cursor=bm90LWEtY3Vyc29y", SharedServers.tokens().tokenFor(customer, "CUSTOMER"))
                .statusCode()).isEqualTo(400);
    }

    private JsonNode page(String customer, String reader, String query) throws Exception {
        HttpResponse<String> response = send("/audit/subjects/" + customer + "/records" + query,
                SharedServers.tokens().tokenFor(reader, "CUSTOMER"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
