package io.polystore.surrealdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What services use to talk to SurrealDB: SurrealQL queries with variables, answered per statement. Variables are
 * sent apart from the query text, so values never become SurrealQL: write {@code WHERE sku = $sku}, never the value.
 * Thread-safe; one instance per database, shared.
 */
public final class SurrealClient implements AutoCloseable {

    private final SurrealTransport transport;

    public SurrealClient(SurrealTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** Runs {@code sql}, one or more statements, with no variables. */
    public QueryResponse query(String sql) {
        return query(sql, Map.of());
    }

    /**
     * Runs {@code sql} with {@code vars} bound to its {@code $name} parameters. A SurrealQL parse error fails the whole
     * call with {@link SurrealRpcException}; a failing statement is reported in the response.
     */
    public QueryResponse query(String sql, Map<String, ?> vars) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(vars, "vars");
        Object result = transport.call("query", List.of(sql, vars));
        return new QueryResponse(sql, statementResults(result));
    }

    /** Runs the statements of {@code query} with the variables it binds. */
    public QueryResponse query(SurrealQl query) {
        return query(query.text(), query.vars());
    }

    /** Runs {@code sql} with {@code vars}, fails on any failed statement, and returns the last statement's result. */
    public Object execute(String sql, Map<String, ?> vars) {
        return query(sql, vars).requireSuccess().lastResult();
    }

    /** Any RPC method, e.g. {@code version}, {@code select} or {@code run}. */
    public Object rpc(String method, Object... params) {
        return transport.call(method, Arrays.asList(params));
    }

    /** Runs {@code sql} with no namespace or database selected, e.g. to define them; fails on any failed statement. */
    public QueryResponse queryWithoutDatabase(String sql, Map<String, ?> vars) {
        Object result = transport.callWithoutDatabase("query", List.of(sql, vars));
        return new QueryResponse(sql, statementResults(result)).requireSuccess();
    }

    /** The server's version, e.g. {@code surrealdb-3.0.2}. */
    public String version() {
        return String.valueOf(transport.callWithoutDatabase("version", List.of()));
    }

    /** Where the client connects, for messages. */
    public String address() {
        return transport.address();
    }

    @Override
    public void close() {
        transport.close();
    }

    private List<StatementResult> statementResults(Object result) {
        if (!(result instanceof List<?> entries)) {
            throw new SurrealTransportException("SurrealDB at " + transport.address()
                    + " answered a query with " + describe(result) + " instead of a list of statement results");
        }
        List<StatementResult> statements = new ArrayList<>(entries.size());
        for (int index = 0; index < entries.size(); index++) {
            if (!(entries.get(index) instanceof Map<?, ?> entry)) {
                throw new SurrealTransportException("SurrealDB at " + transport.address()
                        + " answered a query with a malformed statement result: " + describe(entries.get(index)));
            }
            String time = entry.get("time") == null ? null : String.valueOf(entry.get("time"));
            if ("OK".equals(entry.get("status"))) {
                statements.add(new StatementResult.Ok(index, time, entry.get("result")));
            } else {
                statements.add(new StatementResult.Err(index, time, String.valueOf(entry.get("result")),
                        entry.get("kind") instanceof String kind ? kind : null, entry.get("details")));
            }
        }
        return statements;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
