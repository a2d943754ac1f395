package io.polystore.audit.verification;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.polystore.audit.chain.ChainRecord;
import io.polystore.audit.chain.ChainRows;
import io.polystore.audit.chain.Checkpoint;
import io.polystore.audit.chain.CheckpointSigner;
import io.polystore.audit.verification.VerificationReport.Status;
import io.polystore.audit.verification.internal.ChainCheck;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Verifies the chain from the database alone, without keys but the checkpoints' public ones: streams the records in
 * position order within one snapshot, recomputes every hash and link, checks every checkpoint, and reports the
 * first broken link. The outcome of each whole-chain verification is published as metrics.
 */
@Component
@EnableConfigurationProperties(VerificationProperties.class)
public class ChainVerifier {

    private static final int FETCH_SIZE = 2_000;

    private final JdbcTemplate streaming;
    private final TransactionTemplate snapshot;
    private final CheckpointSigner signer;
    private final Clock clock;
    private final Timer duration;
    private final AtomicReference<VerificationReport> lastWholeChain = new AtomicReference<>();

    public ChainVerifier(DataSource dataSource, PlatformTransactionManager transactionManager, CheckpointSigner signer,
                         ObjectProvider<Clock> clock, MeterRegistry meters) {
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(FETCH_SIZE);
        this.snapshot = new TransactionTemplate(transactionManager);
        // One snapshot for records and checkpoints, so records appended meanwhile cannot look like a cut tail.
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
        this.signer = signer;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.duration = Timer.builder("audit.verification.duration").description("Time to verify the whole chain")
                .register(meters);
        Gauge.builder("audit.verification.intact", lastWholeChain, last -> last.get() == null ? Double.NaN
                        : last.get().intact() ? 1 : 0)
                .description("1 if the last verification of the whole chain found it intact, 0 if broken").register(meters);
        Gauge.builder("audit.verification.last.time", lastWholeChain, last -> last.get() == null ? Double.NaN
                        : last.get().verifiedAt().toEpochMilli() / 1000.0)
                .description("When the whole chain was last verified").baseUnit("seconds").register(meters);
        Gauge.builder("audit.verification.records", lastWholeChain, last -> last.get() == null ? Double.NaN
                        : last.get().recordsChecked())
                .description("Records checked by the last verification of the whole chain").register(meters);
        Gauge.builder("audit.verification.broken.position", lastWholeChain,
                        last -> last.get() == null || last.get().intact() ? Double.NaN : last.get().firstBreak().position())
                .description("Where the last verification of the whole chain found the first broken link").register(meters);
    }

    /** The whole retained chain; the result becomes the verification metrics. */
    public VerificationReport verifyAll() {
        VerificationReport report = verify(null, null);
        duration.record(report.durationMillis(), TimeUnit.MILLISECONDS);
        lastWholeChain.set(report);
        return report;
    }

    /**
     * @param from the first position, null for the start of the retained chain
     * @param to   the last position, null for the head
     */
    public VerificationReport verify(Long from, Long to) {
        long started = System.nanoTime();
        Instant verifiedAt = clock.instant();
        return snapshot.execute(status -> {
            long firstRetained = firstRetainedPosition();
            long start = from == null ? firstRetained : from;
            long end = to == null ? Long.MAX_VALUE : to;
            Checkpoint anchor = start <= firstRetained ? checkpointAt(firstRetained - 1) : null;
            if (anchor != null) {
                // Retention removed what came before: the chain starts after its anchor.
                start = firstRetained;
            }
            NavigableMap<Long, Checkpoint> checkpoints = checkpoints(start, end);
            ChainCheck check = new ChainCheck(start, expectedPreviousHash(start, anchor), checkpoints, signer);
            if (anchor != null) {
                check.acceptCheckpointAlone(anchor);
            }
            streaming.query("SELECT " + ChainRows.RECORD_COLUMNS
                    + " FROM audit.record WHERE position >= ? AND position <= ? ORDER BY position", rows -> {
                while (rows.next() && check.accept(ChainRows.record(rows))) {
                    // each record is checked by the loop condition; the loop ends at the first broken link
                }
                return null;
            }, start, end);
            VerificationReport.Break firstBreak = check.finish(end);
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            return new VerificationReport(firstBreak == null ? Status.INTACT : Status.BROKEN, start,
                    to == null ? check.lastPosition() : to, check.recordsChecked(), check.checkpointsChecked(),
                    verifiedAt, millis, firstBreak);
        });
    }

    /** The highest position the trail knows of: its last record, or a checkpoint beyond it when the tail is gone. */
    public long headPosition() {
        Long head = streaming.queryForObject("""
                SELECT greatest((SELECT max(position) FROM audit.record), (SELECT max(position) FROM audit.checkpoint))""",
                Long.class);
        return head == null ? 0 : head;
    }

    /** The first record's position; with no record left, the one after the retention anchor. */
    private long firstRetainedPosition() {
        Long first = streaming.queryForObject("SELECT min(position) FROM audit.record", Long.class);
        if (first != null) {
            return first;
        }
        Long anchor = streaming.queryForObject("SELECT min(position) FROM audit.checkpoint", Long.class);
        return anchor == null ? 1 : anchor + 1;
    }

    /** What the record at {@code start} must link to, or null when nothing before it is left to link to. */
    private byte[] expectedPreviousHash(long start, Checkpoint anchor) {
        if (anchor != null) {
            return anchor.recordHash();
        }
        if (start <= 1) {
            return ChainRecord.GENESIS_HASH;
        }
        List<byte[]> previous = streaming.query("SELECT record_hash FROM audit.record WHERE position = ?",
                (row, index) -> row.getBytes(1), start - 1);
        if (!previous.isEmpty()) {
            return previous.getFirst();
        }
        Checkpoint standIn = checkpointAt(start - 1);
        return standIn == null ? null : standIn.recordHash();
    }

    private Checkpoint checkpointAt(long position) {
        List<Checkpoint> found = streaming.query("SELECT " + ChainRows.CHECKPOINT_COLUMNS
                + " FROM audit.checkpoint WHERE position = ?", (row, index) -> ChainRows.checkpoint(row), position);
        return found.isEmpty() ? null : found.getFirst();
    }

    private NavigableMap<Long, Checkpoint> checkpoints(long from, long to) {
        NavigableMap<Long, Checkpoint> checkpoints = new TreeMap<>();
        streaming.query("SELECT " + ChainRows.CHECKPOINT_COLUMNS
                        + " FROM audit.checkpoint WHERE position >= ? AND position <= ? ORDER BY position",
                (RowCallbackHandler) row -> {
                    Checkpoint checkpoint = ChainRows.checkpoint(row);
                    checkpoints.put(checkpoint.position(), checkpoint);
                }, from, to);
        return checkpoints;
    }
}
