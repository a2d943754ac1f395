package io.polystore.audit.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Retires expired records in whole checkpointed segments through {@code audit.retire_expired_segments()}, a
 * SECURITY DEFINER function of the schema owner: the service's role holds no DELETE, cannot choose what goes, and
 * cannot shorten the retention period, which the function reads from a table only the owner writes.
 */
@Component
public class SegmentRetirement {

    private static final Logger log = LoggerFactory.getLogger(SegmentRetirement.class);

    private final JdbcTemplate jdbc;
    private final Counter retired;

    public SegmentRetirement(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.retired = Counter.builder("audit.retention.records").description("Records retired after their retention period")
                .baseUnit("records").register(meters);
    }

    /** The checkpoint the retained chain now starts after, and how many records went; empty when none expired. */
    public record Retired(long anchorPosition, long recordsRemoved) {
    }

    @Scheduled(fixedDelayString = "${polystore.audit.retention.check-every:1h}",
            initialDelayString = "${polystore.audit.retention.check-every:1h}")
    void retireOnSchedule() {
        retireExpiredSegments();
    }

    public Optional<Retired> retireExpiredSegments() {
        List<Retired> result = jdbc.query(
                "SELECT anchor_position, records_removed FROM audit.retire_expired_segments()",
                (row, index) -> new Retired(row.getLong(1), row.getLong(2)));
        result.forEach(done -> {
            retired.increment(done.recordsRemoved());
            log.info("Retired {} audit records; the chain now starts after the checkpoint at position {}",
                    done.recordsRemoved(), done.anchorPosition());
        });
        return result.stream().findFirst();
    }
}
