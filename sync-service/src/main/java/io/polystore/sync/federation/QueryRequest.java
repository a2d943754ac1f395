package io.polystore.sync.federation;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * @param sql             one {@code SELECT} over the schemas {@code orders} and {@code catalog}
 * @param timeLimitMillis a shorter time limit than the configured one, or null for that
 */
public record QueryRequest(@NotBlank @Size(max = 20_000) String sql,
                           @Min(100) @Max(600_000) @Nullable Long timeLimitMillis) {
}
