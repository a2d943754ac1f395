package io.polystore.order.saga;

import java.time.Instant;

/** One step of an order's saga history. {@code from} is null for the first. */
public record SagaTransition(SagaState from, SagaState to, String reason, Instant occurredAt) {
}
