package io.polystore.order.saga;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code polystore.orders.saga.*}.
 *
 * @param stockReservationTimeout the business deadline: how long the customer's order waits for the catalog's
 *                                StockReserved or StockRejected before it is rejected and whatever may have been
 *                                reserved is released; counted from placing, in minutes rather than seconds, so that
 *                                an outage of the platform (a broker, a relay, the catalog) delays orders but does not
 *                                reject orders that had stock
 * @param stockWaitNotice         how long the saga waits for that answer before the order, still PENDING, says in its
 *                                {@code statusReason} what it waits for and until when
 * @param releaseTimeout          how long it waits for StockReleased before it sends ReleaseStock again
 * @param releaseAttempts         how many ReleaseStock commands it sends before it gives up waiting and closes the
 *                                saga as CANCELLED (the catalog's reservation then ends when it expires)
 * @param deadlinePollInterval    how often each replica looks for sagas past their deadline
 * @param deadlineBatchSize       at most this many due sagas handled per poll and replica
 * @param admissionMaxLag         with {@code admissionMaxBacklog}: while more than that many sagas have waited longer
 *                                than this for the catalog's stock reply, new orders are refused with 503 and
 *                                {@code Retry-After} (this long): the saga has fallen behind, and an order accepted
 *                                into its backlog could pass its deadline
 * @param admissionMaxBacklog     see {@code admissionMaxLag}; a count, so that a few stuck sagas refuse nobody
 * @param admissionCheckInterval  how often each replica counts that backlog (one indexed query, not one per request)
 * @param admissionMaxConcurrent  at most this many orders are placed at once per replica, so that a burst of requests
 *                                does not take every database connection from the saga's listeners (the pool has 16)
 * @param admissionWait           how long a request waits for one of those places before it is refused with 503 and
 *                                {@code Retry-After: 1}
 */
@Validated
@ConfigurationProperties("polystore.orders.saga")
public record SagaProperties(
        @DefaultValue("10m") Duration stockReservationTimeout,
        @DefaultValue("10s") Duration stockWaitNotice,
        @DefaultValue("30s") Duration releaseTimeout,
        @DefaultValue("5") @Min(1) int releaseAttempts,
        @DefaultValue("1s") Duration deadlinePollInterval,
        @DefaultValue("100") @Min(1) int deadlineBatchSize,
        @DefaultValue("5s") Duration admissionMaxLag,
        @DefaultValue("200") @Min(1) int admissionMaxBacklog,
        @DefaultValue("1s") Duration admissionCheckInterval,
        @DefaultValue("8") @Min(1) int admissionMaxConcurrent,
        @DefaultValue("2s") Duration admissionWait) {
}
