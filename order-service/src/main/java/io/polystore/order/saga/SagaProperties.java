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
 */
@Validated
@ConfigurationProperties("polystore.orders.saga")
public record SagaProperties(
        @DefaultValue("10m") Duration stockReservationTimeout,
        @DefaultValue("10s") Duration stockWaitNotice,
        @DefaultValue("30s") Duration releaseTimeout,
        @DefaultValue("5") @Min(1) int releaseAttempts,
        @DefaultValue("1s") Duration deadlinePollInterval,
        @DefaultValue("100") @Min(1) int deadlineBatchSize) {
}
