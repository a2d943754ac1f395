package io.polystore.sync.federation.internal;

import io.polystore.surrealdb.QueryResponse;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What is pushed down to SurrealDB for one catalog table: the projected columns, conditions, order, offset and
 * limit, as one parameterised SurrealQL {@code SELECT}. Values are never written into the text: each is a
 * {@code $p<n>} binding, taken from a literal or from the SQL statement's parameter when the query runs.
 * Public (as the generated code calls {@link #execute}), but only the federation creates it.
 */
public final class SurrealQuery {

    private final CatalogTable table;
    private final List<Integer> columns;
    private final List<Condition> conditions;
    private final List<Ordering> order;
    private final Value offset;
    private final Value fetch;

    private SurrealQuery(CatalogTable table, List<Integer> columns, List<Condition> conditions, List<Ordering> order,
                         Value offset, Value fetch) {
        this.table = table;
        this.columns = List.copyOf(columns);
        this.conditions = List.copyOf(conditions);
        this.order = List.copyOf(order);
        this.offset = offset;
        this.fetch = fetch;
    }

    /** Every column, every row. */
    static SurrealQuery of(CatalogTable table) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            all.add(i);
        }
        return new SurrealQuery(table, all, List.of(), List.of(), null, null);
    }

    CatalogTable table() {
        return table;
    }

    /** The table column behind output field {@code field}. */
    CatalogColumn column(int field) {
        return table.columns().get(columns.get(field));
    }

    int fieldCount() {
        return columns.size();
    }

    int conditionCount() {
        return conditions.size();
    }

    boolean ordered() {
        return !order.isEmpty();
    }

    boolean limited() {
        return offset != null || fetch != null;
    }

    List<Ordering> order() {
        return order;
    }

    Value fetch() {
        return fetch;
    }

    /** The next free binding number, so that bindings stay unique across conditions and limits. */
    int nextBinding() {
        int next = conditions.stream().mapToInt(condition -> condition.bindings().size()).sum();
        return next + (offset != null ? 1 : 0) + (fetch != null ? 1 : 0);
    }

    /** Keeps {@code fields} (output positions) in that order; null when it would drop a field the order is on. */
    SurrealQuery project(List<Integer> fields) {
        List<Ordering> reordered = new ArrayList<>();
        for (Ordering ordering : order) {
            int position = fields.indexOf(ordering.field());
            if (position < 0) {
                return null;
            }
            reordered.add(new Ordering(position, ordering.descending()));
        }
        return new SurrealQuery(table, fields.stream().map(columns::get).toList(), conditions, reordered, offset, fetch);
    }

    SurrealQuery filter(List<Condition> more) {
        List<Condition> all = new ArrayList<>(conditions);
        all.addAll(more);
        return new SurrealQuery(table, columns, all, order, offset, fetch);
    }

    SurrealQuery sort(List<Ordering> ordering, Value offset, Value fetch) {
        return new SurrealQuery(table, columns, conditions, ordering, offset, fetch);
    }

    /** The statement as sent (with {@code $p<n>} bindings) under the store's time limit; what {@code EXPLAIN} shows. */
    public String surrealQl() {
        return surrealQl(table.store().timeLimit().toMillis());
    }

    /** The statement with SurrealDB's own time limit ({@code TIMEOUT}) of {@code timeoutMillis}. */
    private String surrealQl(long timeoutMillis) {
        List<String> where = new ArrayList<>();
        if (table.condition() != null) {
            where.add(table.condition());
        }
        conditions.forEach(condition -> where.add(condition.text()));
        String whereClause = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        StringBuilder statement = new StringBuilder();
        if (table.split() == null) {
            statement.append("SELECT ").append(projection(columns)).append(" FROM ").append(table.source()).append(whereClause);
        } else {
            // SurrealDB filters before it splits, so the conditions go inside and the split, order and limit outside.
            List<Integer> selected = new ArrayList<>(columns);
            int split = table.indexOf(table.split());
            if (!selected.contains(split)) {
                selected.add(split);
            }
            statement.append("SELECT * FROM (SELECT ").append(projection(selected)).append(" FROM ")
                    .append(table.source()).append(whereClause).append(") SPLIT ").append(table.split());
        }
        if (!order.isEmpty()) {
            statement.append(" ORDER BY ").append(order.stream()
                    .map(ordering -> table.columns().get(columns.get(ordering.field())).name()
                            + (ordering.descending() ? " DESC" : " ASC"))
                    .collect(Collectors.joining(", ")));
        }
        int binding = nextBinding() - (offset != null ? 1 : 0) - (fetch != null ? 1 : 0);
        if (fetch != null) {
            statement.append(" LIMIT $p").append(binding++);
        }
        if (offset != null) {
            statement.append(fetch == null ? " LIMIT 1000000000" : "").append(" START $p").append(binding);
        }
        return statement.append(" TIMEOUT ").append(timeoutMillis).append("ms").toString();
    }

    private String projection(List<Integer> selected) {
        return selected.stream().map(index -> table.columns().get(index))
                .map(column -> column.expression() + " AS " + column.name())
                .collect(Collectors.joining(", "));
    }

    /** Runs the statement with the bindings resolved from {@code context} (the SQL statement's parameters). */
    public Enumerable<Object[]> execute(DataContext context) {
        return execute(context, new Object[0]);
    }

    /**
     * As {@link #execute(DataContext)}, inside a batched nested-loop join: {@code correlated} holds the current batch's
     * join keys, in the order of {@link #correlatedValues()}.
     */
    public Enumerable<Object[]> execute(DataContext context, Object[] correlated) {
        Map<String, Object> bindings = new LinkedHashMap<>();
        int binding = 0;
        for (Condition condition : conditions) {
            for (Value value : condition.bindings()) {
                bindings.put("p" + binding++, value.resolve(context, correlated));
            }
        }
        if (fetch != null) {
            bindings.put("p" + binding++, fetch.resolve(context, correlated));
        }
        if (offset != null) {
            bindings.put("p" + binding, offset.resolve(context, correlated));
        }
        // A query's own, shorter time limit (the statement's query timeout, which Calcite hands on) bounds SurrealDB too.
        long timeout = table.store().timeLimit().toMillis();
        if (context.get(DataContext.Variable.TIMEOUT.camelName) instanceof Long queryTimeout && queryTimeout > 0) {
            timeout = Math.min(timeout, queryTimeout);
        }
        QueryResponse response = table.store().client().query(surrealQl(timeout), bindings).requireSuccess();
        List<Map<String, Object>> rows = response.rows(0);
        List<Object[]> result = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < values.length; i++) {
                CatalogColumn column = table.columns().get(columns.get(i));
                values[i] = column.fromSurreal(row.get(column.name()));
            }
            result.add(values);
        }
        return Linq4j.asEnumerable(result);
    }

    @Override
    public String toString() {
        return surrealQl();
    }

    /** A condition in SurrealQL whose {@code $p<n>} bindings take {@link #bindings()} in order. */
    record Condition(String text, List<Value> bindings) {
    }

    record Ordering(int field, boolean descending) {
    }

    /** The join keys the conditions take from the outer side of a batched nested-loop join, in slot order. */
    List<Value.Correlated> correlatedValues() {
        List<Value.Correlated> all = new ArrayList<>();
        for (Condition condition : conditions) {
            for (Value value : condition.bindings()) {
                collect(value, all);
            }
        }
        return all;
    }

    private static void collect(Value value, List<Value.Correlated> all) {
        switch (value) {
            case Value.Correlated correlated -> all.add(correlated);
            case Value.AnyOf anyOf -> anyOf.values().forEach(each -> collect(each, all));
            default -> {
            }
        }
    }

    /**
     * A value bound to the statement: a literal, the SQL statement's parameter {@code ?<index>}, a join key of the
     * outer side of a batched nested-loop join, or a list of those (for {@code IN}).
     */
    sealed interface Value {

        Object resolve(DataContext context, Object[] correlated);

        record Literal(Object value) implements Value {
            @Override
            public Object resolve(DataContext context, Object[] correlated) {
                return value;
            }
        }

        record Parameter(int index, CatalogColumn column) implements Value {
            @Override
            public Object resolve(DataContext context, Object[] correlated) {
                Object value = context.get("?" + index);
                return column == null ? value : column.toSurreal(value);
            }
        }

        /** Field {@code field} of correlation variable {@code correlation}; at run time {@code correlated[slot]}. */
        record Correlated(String correlation, int field, CatalogColumn column, int slot) implements Value {
            @Override
            public Object resolve(DataContext context, Object[] correlated) {
                return column.toSurreal(correlated[slot]);
            }
        }

        /** The values of an {@code IN} list; the missing ones (a batch's unused keys) left out. */
        record AnyOf(List<Value> values) implements Value {
            @Override
            public Object resolve(DataContext context, Object[] correlated) {
                List<Object> resolved = new ArrayList<>();
                for (Value value : values) {
                    Object each = value.resolve(context, correlated);
                    if (each != null && !(each instanceof io.polystore.surrealdb.SurrealNone) && !resolved.contains(each)) {
                        resolved.add(each);
                    }
                }
                return resolved;
            }
        }
    }
}
