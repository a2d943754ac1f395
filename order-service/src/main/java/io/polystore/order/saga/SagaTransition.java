package io.polystore.order.saga;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** One step of an order's saga history. {@code from} is null for the first. */
public record SagaTransition(@Nullable SagaState from, SagaState to, String reason, Instant occurredAt) {
}
