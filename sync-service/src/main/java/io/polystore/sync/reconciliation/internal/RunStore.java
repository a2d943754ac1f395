package io.polystore.sync.reconciliation.internal;

import io.polystore.sync.reconciliation.DriftKind;
import io.polystore.sync.reconciliation.ReconciliationRun;
import io.polystore.sync.reconciliation.ReconciliationRun.Compensation;
import io.polystore.sync.reconciliation.ReconciliationRun.Drift;
import io.polystore.sync.reconciliation.ReconciliationRun.Trigger;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reconciliation runs and their drift, in sync-service's own database. */
public final class RunStore {

    private final JdbcClient jdbc;

    public RunStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void save(ReconciliationRun run) {
        jdbc.sql("""
                        INSERT INTO reconciliation_run (id, trigger, repair, started_at, finished_at, orders_checked,
                                                        reservations_checked, drift_count)
                        VALUES (:id, :trigger, :repair, :startedAt, :finishedAt, :orders, :reservations, :driftCount)
                        """)
                .param("id", run.id()).param("trigger", run.trigger().name()).param("repair", run.repair())
                .param("startedAt", utc(run.startedAt())).param("finishedAt", utc(run.finishedAt()))
                .param("orders", run.ordersChecked()).param("reservations", run.reservationsChecked())
                .param("driftCount", run.driftCount())
                .update();
        for (int position = 0; position < run.drift().size(); position++) {
            Drift drift = run.drift().get(position);
            jdbc.sql("""
                            INSERT INTO reconciliation_drift (run_id, position, kind, order_id, detail, compensation,
                                                              compensation_emitted)
                            VALUES (:runId, :position, :kind, :orderId, :detail, :compensation, :emitted)
                            """)
                    .param("runId", run.id()).param("position", position).param("kind", drift.kind().name())
                    .param("orderId", drift.orderId()).param("detail", drift.detail())
                    .param("compensation", drift.compensation() == null ? null : drift.compensation().command())
                    .param("emitted", drift.compensation() != null && drift.compensation().emitted())
                    .update();
        }
    }

    public Optional<ReconciliationRun> find(UUID id) {
        return jdbc.sql("SELECT * FROM reconciliation_run WHERE id = :id").param("id", id)
                .query(this::run).optional();
    }

    /** The newest runs first. */
    public List<ReconciliationRun> recent(int limit) {
        return jdbc.sql("SELECT * FROM reconciliation_run ORDER BY started_at DESC, id LIMIT :limit")
                .param("limit", limit).query(this::run).list();
    }

    /** Drift per kind of the newest run; empty before the first run. */
    public Map<DriftKind, Integer> latestDriftCounts() {
        Map<DriftKind, Integer> counts = new EnumMap<>(DriftKind.class);
        jdbc.sql("""
                        SELECT kind, count(*) FROM reconciliation_drift
                        WHERE run_id = (SELECT id FROM reconciliation_run ORDER BY started_at DESC, id LIMIT 1)
                        GROUP BY kind
                        """)
                .query((row, number) -> counts.put(DriftKind.valueOf(row.getString(1)), row.getInt(2))).list();
        return counts;
    }

    public Optional<Instant> lastScheduledStart() {
        return jdbc.sql("SELECT max(started_at) FROM reconciliation_run WHERE trigger = 'SCHEDULED'")
                .query((row, number) -> Optional.ofNullable(row.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant))
                .single();
    }

    /**
     * Whether this transaction now holds the scheduled reconciliation's lock; PostgreSQL frees it when the
     * transaction ends, also when the replica dies.
     */
    public boolean lockScheduledRun() {
        return jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtextextended('polystore.sync.reconciliation', 0))")
                .query(Boolean.class).single();
    }

    public int deleteStartedBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM reconciliation_run WHERE started_at < :cutoff").param("cutoff", utc(cutoff)).update();
    }

    private ReconciliationRun run(ResultSet row, int number) throws SQLException {
        UUID id = row.getObject("id", UUID.class);
        List<Drift> drift = jdbc.sql("""
                        SELECT kind, order_id, detail, compensation, compensation_emitted FROM reconciliation_drift
                        WHERE run_id = :id ORDER BY position
                        """)
                .param("id", id)
                .query((line, n) -> new Drift(DriftKind.valueOf(line.getString("kind")), line.getString("order_id"),
                        line.getString("detail"), line.getString("compensation") == null ? null
                        : new Compensation(line.getString("compensation"), line.getBoolean("compensation_emitted"))))
                .list();
        return new ReconciliationRun(id, Trigger.valueOf(row.getString("trigger")), row.getBoolean("repair"),
                row.getObject("started_at", OffsetDateTime.class).toInstant(),
                row.getObject("finished_at", OffsetDateTime.class).toInstant(), row.getInt("orders_checked"),
                row.getInt("reservations_checked"), row.getInt("drift_count"), drift);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
