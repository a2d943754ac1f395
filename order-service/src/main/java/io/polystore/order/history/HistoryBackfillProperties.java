package io.polystore.order.history;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code polystore.orders.history-backfill.*}: the one-time publication of the history records of orders that
 * existed before every change wrote one ({@link OrderHistoryBackfill}).
 *
 * @param enabled       whether this instance takes part; with it off everywhere, orders that never change again stay
 *                      unknown to the other regions' replicas
 * @param batchSize     orders published per transaction: their rows are locked against changes (not against reads
 *                      or new orders) until it commits
 * @param pause         the wait between two batches, so that the walk leaves the database and the relay to the
 *                      requests
 * @param retryInterval the wait after a batch that failed (the database away, say) before the walk goes on
 */
@Validated
@ConfigurationProperties("polystore.orders.history-backfill")
public record HistoryBackfillProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("200") @Min(1) @Max(5000) int batchSize,
        @DefaultValue("100ms") Duration pause,
        @DefaultValue("10s") Duration retryInterval) {
}
