package io.polystore.audit.chain;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@code audit.checkpoint.position} and {@code audit.checkpoint.last.time} (epoch seconds): where and when the newest
 * signed checkpoint was made. With {@code audit.chain.length} they show records that no signature covers yet and how
 * long they have waited; both NaN before the first checkpoint or while the database cannot be read. One query serves
 * both and is reused for a few seconds.
 */
@Component
class CheckpointMetrics implements MeterBinder {

    private static final Duration REUSE = Duration.ofSeconds(5);

    private record Newest(double position, double signedAtSeconds) {
    }

    private static final Newest NONE = new Newest(Double.NaN, Double.NaN);

    private final JdbcTemplate jdbc;
    private Newest newest = NONE;
    private long readAt = Long.MIN_VALUE;

    CheckpointMetrics(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("audit.checkpoint.position", this, metrics -> metrics.newest(Newest::position))
                .description("Position of the newest signed checkpoint").register(registry);
        Gauge.builder("audit.checkpoint.last.time", this, metrics -> metrics.newest(Newest::signedAtSeconds))
                .description("When the newest checkpoint was signed").baseUnit("seconds").register(registry);
    }

    private synchronized double newest(ToDoubleFunction<Newest> value) {
        long now = System.nanoTime();
        if (readAt == Long.MIN_VALUE || now - readAt > REUSE.toNanos()) {
            try {
                List<Newest> rows = jdbc.query(
                        "SELECT position, signed_at FROM audit.checkpoint ORDER BY position DESC LIMIT 1",
                        (rs, row) -> new Newest(rs.getLong(1), rs.getTimestamp(2).toInstant().toEpochMilli() / 1000.0));
                newest = rows.isEmpty() ? NONE : rows.getFirst();
            } catch (RuntimeException e) {
                newest = NONE;
            }
            readAt = now;
        }
        return value.applyAsDouble(newest);
    }
}
