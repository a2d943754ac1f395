package io.polystore.sync.federation;

import java.util.List;

/**
 * The answer to an ad-hoc query.
 *
 * @param queryId   the id its audit record carries as subject
 * @param freshness per source, how far the relays had delivered when the query ran
 */
public record QueryAnswer(String queryId, List<QueryResult.Column> columns, List<List<Object>> rows, int rowCount,
                          List<SourceFreshness> freshness) {
}
