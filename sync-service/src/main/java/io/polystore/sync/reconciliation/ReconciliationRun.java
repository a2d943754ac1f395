package io.polystore.sync.reconciliation;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One comparison of orders with reservations, and the drift it found. */
public record ReconciliationRun(UUID id, Trigger trigger, boolean repair, Instant startedAt, Instant finishedAt,
                                int ordersChecked, int reservationsChecked, int driftCount, List<Drift> drift) {

    public enum Trigger { MANUAL, SCHEDULED }

    /**
     * @param compensation the command that repairs it, or null when no command can (see the README)
     */
    public record Drift(DriftKind kind, String orderId, String detail, @Nullable Compensation compensation) {
    }

    /** @param emitted whether the command was published; never in a dry run */
    public record Compensation(String command, boolean emitted) {
    }
}
