package io.polystore.audit.retention;

import io.polystore.audit.AuditDatabase;
import io.polystore.audit.AuditServiceTest;
import io.polystore.audit.chain.AuditAction;
import io.polystore.audit.chain.AuditEntry;
import io.polystore.audit.chain.AuditTrail;
import io.polystore.audit.verification.ChainVerifier;
import io.polystore.audit.verification.VerificationReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records older than the retention period leave in whole checkpointed segments, and what remains still verifies.
 * The chain: records 1 to 10, checkpoints at 6 and 10; records 1 to 6 are made two years old.
 */
@AuditServiceTest
class SegmentRetirementIT {

    @Autowired
    AuditTrail trail;

    @Autowired
    SegmentRetirement retirement;

    @Autowired
    ChainVerifier verifier;

    @BeforeEach
    void aChainWhoseFirstSixRecordsAreTwoYearsOld() throws SQLException {
        AuditDatabase.resetTrail();
        append(6);
        trail.checkpoint();
        append(4);
        trail.checkpoint();
        // Ageing breaks the aged records' hashes; they are exactly the ones retirement removes.
        AuditDatabase.tamper("UPDATE audit.record SET recorded_at = recorded_at - interval '730 days' WHERE position <= 6");
        asOwner("UPDATE audit.retention_policy SET period = interval '365 days'");
    }

    @AfterEach
    void restoreTheConfiguredPolicy() throws SQLException {
        asOwner("UPDATE audit.retention_policy SET period = interval '3650 days'");
        AuditDatabase.resetTrail();
    }

    @Test
    void retiresWholeSegmentsUpToTheNewestCheckpointBeforeTheFirstYoungRecord() throws SQLException {
        AuditDatabase.tamper("UPDATE audit.record SET recorded_at = recorded_at - interval '730 days'"
                + " WHERE position IN (7, 8)");

        SegmentRetirement.Retired retired = retirement.retireExpiredSegments().orElseThrow();

        // Records 7 and 8 are expired too, but no checkpoint closes their segment before the young record 9.
        assertThat(retired).isEqualTo(new SegmentRetirement.Retired(6, 6));
        assertThat(positions("audit.record")).containsExactly(7L, 8L, 9L, 10L);
        assertThat(positions("audit.checkpoint")).containsExactly(6L, 10L);
    }

    @Test
    void whatRemainsStillVerifiesFromItsAnchorAndTheChainGoesOn() {
        retirement.retireExpiredSegments().orElseThrow();
        append(3);
        trail.checkpoint();

        VerificationReport report = verifier.verify(null, null);

        assertThat(report.status()).isEqualTo(VerificationReport.Status.INTACT);
        assertThat(report.from()).isEqualTo(7);
        assertThat(report.to()).isEqualTo(13);
        assertThat(report.recordsChecked()).isEqualTo(7);
        assertThat(report.checkpointsChecked()).isEqualTo(3);
    }

    @Test
    void retiresNothingWhileNoSegmentHasExpired() throws SQLException {
        asOwner("UPDATE audit.retention_policy SET period = interval '1000 days'");

        assertThat(retirement.retireExpiredSegments()).isEmpty();
        assertThat(positions("audit.record")).hasSize(10);
    }

    @Test
    void deletingTheAnchorAfterRetirementIsDetected() throws SQLException {
        retirement.retireExpiredSegments().orElseThrow();
        AuditDatabase.tamper("DELETE FROM audit.checkpoint WHERE position = 6");

        VerificationReport report = verifier.verify(null, null);

        assertThat(report.status()).isEqualTo(VerificationReport.Status.BROKEN);
        assertThat(report.firstBreak().position()).isEqualTo(6);
        assertThat(report.firstBreak().problem()).isEqualTo(VerificationReport.Problem.RECORD_MISSING);
    }

    private void append(int count) {
        List<AuditEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(AuditDatabase.entry("retention-actor", "retention-subject", AuditAction.ACCESS_ALLOW, Instant.now()));
        }
        trail.append(entries);
    }

    /** The policy table is the owner's: in the tests the owner is the superuser. */
    private static void asOwner(String sql) throws SQLException {
        try (Connection owner = AuditDatabase.asSuperuser(); Statement statement = owner.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<Long> positions(String table) throws SQLException {
        List<Long> positions = new ArrayList<>();
        try (Connection connection = AuditDatabase.asSuperuser(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT position FROM " + table + " ORDER BY position")) {
            while (result.next()) {
                positions.add(result.getLong(1));
            }
        }
        return positions;
    }
}
