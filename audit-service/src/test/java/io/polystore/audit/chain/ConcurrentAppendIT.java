package io.polystore.audit.chain;

import io.polystore.audit.AuditDatabase;
import io.polystore.audit.AuditServiceTest;
import io.polystore.audit.verification.ChainVerifier;
import io.polystore.audit.verification.VerificationReport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Writers that append at the same time, as several replicas do, still build one linear, gap-free chain. */
@AuditServiceTest
class ConcurrentAppendIT {

    @Autowired
    AuditTrail trail;

    @Autowired
    ChainVerifier verifier;

    @Test
    void concurrentWritersBuildOneLinearChain() throws Exception {
        AuditDatabase.resetTrail();
        List<Callable<Integer>> writers = new ArrayList<>();
        for (int writer = 0; writer < 4; writer++) {
            String actor = "writer-" + writer;
            writers.add(() -> {
                int stored = 0;
                for (int batch = 0; batch < 10; batch++) {
                    List<AuditEntry> entries = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        entries.add(AuditDatabase.entry(actor, actor, AuditAction.ACCESS_ALLOW, Instant.now()));
                    }
                    stored += trail.append(entries).stored().size();
                }
                return stored;
            });
        }

        int stored = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (Future<Integer> done : pool.invokeAll(writers)) {
                stored += done.get();
            }
        }

        VerificationReport report = verifier.verify(null, null);
        assertThat(stored).isEqualTo(1000);
        assertThat(report.status()).isEqualTo(VerificationReport.Status.INTACT);
        assertThat(report.from()).isEqualTo(1);
        assertThat(report.to()).isEqualTo(1000);
        assertThat(report.recordsChecked()).isEqualTo(1000);
        AuditDatabase.resetTrail();
    }

    @Test
    void theSameEventAppendedTwiceAtOnceIsStoredOnce() throws Exception {
        AuditEntry entry = AuditDatabase.entry("twice", "twice", AuditAction.ACCESS_ALLOW, Instant.now());
        Callable<Integer> append = () -> trail.append(List.of(entry, entry)).stored().size();

        int stored = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (Future<Integer> done : pool.invokeAll(List.of(append, append))) {
                stored += done.get();
            }
        }

        assertThat(stored).isEqualTo(1);
    }
}
