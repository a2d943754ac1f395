package io.polystore.sync.federation;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * One page of a report.
 *
 * @param nextOffset the {@code offset} of the next page, or null on the last one
 * @param freshness  per source, how far the relays had delivered when the report ran
 */
public record ReportPage<T>(List<T> items, int offset, int limit, @Nullable Integer nextOffset,
                            List<SourceFreshness> freshness) {
}
