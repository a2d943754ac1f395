package io.polystore.audit.verification;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.audit.AuditDatabase;
import io.polystore.audit.AuditServiceTest;
import io.polystore.audit.chain.AuditAction;
import io.polystore.audit.chain.AuditEntry;
import io.polystore.audit.chain.AuditTrail;
import io.polystore.audit.chain.ChainRecord;
import io.polystore.testkit.SharedServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Someone with full access to the database (the superuser, triggers disabled) alters the trail; verification must
 * find the first broken link at the exact position. The chain: 20 records, checkpoints at 10 and 20.
 */
@AuditServiceTest
class TamperDetectionIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    AuditTrail trail;

    @Autowired
    MeterRegistry meters;

    @Value("${local.server.port}")
    int port;

    List<ChainRecord> chain;

    @BeforeEach
    void aChainOfTwentyRecordsWithTwoCheckpoints() throws SQLException {
        AuditDatabase.resetTrail();
        chain = new ArrayList<>(append(10));
        trail.checkpoint();
        chain.addAll(append(10));
        trail.checkpoint();
    }

    @AfterAll
    static void leaveNoBrokenChainBehind() throws SQLException {
        AuditDatabase.resetTrail();
    }

    @Test
    void anUntouchedChainIsIntact() throws Exception {
        JsonNode report = verify("");

        assertThat(report.path("status").asString()).isEqualTo("INTACT");
        assertThat(report.path("from").asLong()).isEqualTo(1);
        assertThat(report.path("to").asLong()).isEqualTo(20);
        assertThat(report.path("recordsChecked").asLong()).isEqualTo(20);
        assertThat(report.path("checkpointsChecked").asLong()).isEqualTo(2);
        assertThat(report.path("firstBreak").isNull()).isTrue();
    }

    @Test
    void anEditedRowIsFoundAtItsPosition() throws Exception {
        AuditDatabase.tamper("UPDATE audit.record SET action = 'ACCESS_DENY' WHERE position = 7");

        assertBrokenAt(verify(""), 7, "RECORD_HASH_MISMATCH");
    }

    @Test
    void anEditedTimeIsFoundAtItsPosition() throws Exception {
        AuditDatabase.tamper("UPDATE audit.record SET occurred_at = occurred_at - interval '1 day' WHERE position = 13");

        assertBrokenAt(verify(""), 13, "RECORD_HASH_MISMATCH");
    }

    @Test
    void anEditedAndReHashedRowBreaksTheLinkToItsSuccessor() throws Exception {
        ChainRecord original = chain.get(6);
        ChainRecord edited = new ChainRecord(original.position(), original.eventId(), original.eventType(),
                original.source(), original.occurredAt(), original.recordedAt(), "ACCESS_DENY", original.actorIndex(),
                original.subjectIndex(), original.details(), original.personal(), original.previousHash(), null).sealed();
        AuditDatabase.tamper("UPDATE audit.record SET action = 'ACCESS_DENY', record_hash = '\\x"
                + HexFormat.of().formatHex(edited.recordHash()) + "' WHERE position = 7");

        assertBrokenAt(verify(""), 8, "PREVIOUS_HASH_MISMATCH");
    }

    @Test
    void aDeletedRowIsFoundAtItsPosition() throws Exception {
        AuditDatabase.tamper("DELETE FROM audit.record WHERE position = 7");

        assertBrokenAt(verify(""), 7, "RECORD_MISSING");
    }

    @Test
    void aDeletedFirstRowIsFoundAtPositionOne() throws Exception {
        AuditDatabase.tamper("DELETE FROM audit.record WHERE position = 1");

        assertBrokenAt(verify(""), 1, "RECORD_MISSING");
    }

    @Test
    void twoSwappedRowsAreFoundAtTheFirstOfThem() throws Exception {
        AuditDatabase.tamper(
                "UPDATE audit.record SET position = 1000 WHERE position = 5",
                "UPDATE audit.record SET position = 5 WHERE position = 12",
                "UPDATE audit.record SET position = 12 WHERE position = 1000");

        assertBrokenAt(verify(""), 5, "PREVIOUS_HASH_MISMATCH");
    }

    @Test
    void ciphertextsSwappedBetweenRowsAreFoundAndNoLongerDecrypt() throws Exception {
        AuditDatabase.tamper(
                "UPDATE audit.record r SET personal = o.personal FROM audit.record o"
                        + " WHERE r.position = 3 AND o.position = 4");

        assertBrokenAt(verify(""), 3, "RECORD_HASH_MISMATCH");
        JsonNode records = get("/audit/records?limit=3").path("records");
        assertThat(records.get(2).path("position").asLong()).isEqualTo(3);
        assertThat(records.get(2).path("personalDataReadable").asBoolean()).isFalse();
        assertThat(records.get(1).path("personalDataReadable").asBoolean()).isTrue();
    }

    @Test
    void aCutTailIsFoundWhereItWasCut() throws Exception {
        AuditDatabase.tamper("DELETE FROM audit.record WHERE position >= 16");

        JsonNode report = verify("");

        assertBrokenAt(report, 16, "RECORD_MISSING");
        assertThat(report.path("firstBreak").path("detail").asString()).contains("checkpoint at 20");
    }

    @Test
    void appendingGoesOnAfterACutTailWhichStaysFound() throws Exception {
        AuditDatabase.tamper("DELETE FROM audit.record WHERE position >= 16");

        List<ChainRecord> appended = append(3);

        assertThat(appended).extracting(ChainRecord::position).containsExactly(21L, 22L, 23L);
        assertBrokenAt(verify(""), 16, "RECORD_MISSING");
    }

    @Test
    void aForgedCheckpointIsFound() throws Exception {
        AuditDatabase.tamper("UPDATE audit.checkpoint SET signature = set_byte(signature, 0, get_byte(signature, 0) # 1)"
                + " WHERE position = 10");

        assertBrokenAt(verify(""), 10, "CHECKPOINT_SIGNATURE_INVALID");
    }

    @Test
    void aRewrittenChainIsFoundAtTheCheckpointThatNoLongerMatches() throws Exception {
        // Whoever rewrites records and re-hashes the chain after them still cannot sign a new checkpoint.
        List<String> statements = new ArrayList<>();
        byte[] previousHash = chain.get(3).recordHash();
        for (ChainRecord original : chain.subList(4, 20)) {
            ChainRecord rewritten = new ChainRecord(original.position(), original.eventId(), original.eventType(),
                    original.source(), original.occurredAt(), original.recordedAt(),
                    original.position() == 5 ? "ACCESS_DENY" : original.action(), original.actorIndex(),
                    original.subjectIndex(), original.details(), original.personal(), previousHash, null).sealed();
            statements.add("UPDATE audit.record SET action = '" + rewritten.action() + "', previous_hash = '\\x"
                    + HexFormat.of().formatHex(rewritten.previousHash()) + "', record_hash = '\\x"
                    + HexFormat.of().formatHex(rewritten.recordHash()) + "' WHERE position = " + rewritten.position());
            previousHash = rewritten.recordHash();
        }
        AuditDatabase.tamper(statements.toArray(String[]::new));

        assertBrokenAt(verify(""), 10, "CHECKPOINT_MISMATCH");
    }

    @Test
    void aRangeIsVerifiedOnItsOwn() throws Exception {
        AuditDatabase.tamper("UPDATE audit.record SET action = 'ACCESS_DENY' WHERE position = 17");

        JsonNode firstHalf = verify("?from=1&to=12");
        JsonNode secondHalf = verify("?from=12&to=20");

        assertThat(firstHalf.path("status").asString()).isEqualTo("INTACT");
        assertThat(firstHalf.path("recordsChecked").asLong()).isEqualTo(12);
        assertBrokenAt(secondHalf, 17, "RECORD_HASH_MISMATCH");
    }

    @Test
    void theLastWholeChainVerificationBecomesMetrics() throws Exception {
        AuditDatabase.tamper("DELETE FROM audit.record WHERE position = 9");

        verify("");

        assertThat(meters.get("audit.verification.intact").gauge().value()).isZero();
        assertThat(meters.get("audit.verification.broken.position").gauge().value()).isEqualTo(9);
        assertThat(meters.get("audit.verification.last.time").gauge().value())
                .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60.0));
    }

    @Test
    void unknownRangesAndWrongOrderAreRefused() throws Exception {
        HttpResponse<String> reversed = send("/audit/verify?from=9&to=3");
        HttpResponse<String> notANumber = send("/audit/verify?from=first");
        HttpResponse<String> beyondTheHead = send("/audit/verify?from=21");

        assertThat(reversed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(reversed.body()).path("errors").get(0).path("field").asString()).isEqualTo("to");
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notANumber.body()).path("errors").get(0).path("field").asString()).isEqualTo("from");
        assertThat(beyondTheHead.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(beyondTheHead.body()).path("errors").get(0).path("reason").asString())
                .isEqualTo("is beyond the head of the chain, position 20");
    }

    private List<ChainRecord> append(int count) {
        List<AuditEntry> entries = new ArrayList<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int i = 0; i < count; i++) {
            entries.add(AuditDatabase.entry("auditor-" + i, "customer-" + i, AuditAction.ACCESS_ALLOW, now));
        }
        return trail.append(entries).stored();
    }

    private static void assertBrokenAt(JsonNode report, long position, String problem) {
        assertThat(report.path("status").asString()).isEqualTo("BROKEN");
        assertThat(report.path("firstBreak").path("position").asLong()).as("position of the first broken link")
                .isEqualTo(position);
        assertThat(report.path("firstBreak").path("problem").asString()).isEqualTo(problem);
    }

    private JsonNode verify(String query) throws Exception {
        return get("/audit/verify" + query);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + SharedServers.tokens().tokenFor("audrey", "AUDITOR")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
