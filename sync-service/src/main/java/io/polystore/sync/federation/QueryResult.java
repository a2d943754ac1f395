package io.polystore.sync.federation;

import java.util.List;

/** The rows of a federated query, each a list of values in the order of {@code columns}. */
public record QueryResult(List<Column> columns, List<List<Object>> rows) {

    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** @param type the SQL type's name, e.g. {@code VARCHAR}, {@code DECIMAL}, {@code TIMESTAMP} */
    public record Column(String name, String type) {
    }
}
