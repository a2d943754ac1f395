package io.polystore.order.saga;

import java.time.Instant;

/**
 * Sagas whose deadline has passed and that no replica has handled yet.
 *
 * @param sagas            how many
 * @param earliestDeadline the earliest of their deadlines; null when there are none
 */
public record OverdueSagas(long sagas, Instant earliestDeadline) {
}
