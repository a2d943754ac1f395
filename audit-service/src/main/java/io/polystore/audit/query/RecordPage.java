package io.polystore.audit.query;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * One page of a search, oldest first.
 *
 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
 */
public record RecordPage(List<AuditRecordView> records, @Nullable String nextCursor) {
}
