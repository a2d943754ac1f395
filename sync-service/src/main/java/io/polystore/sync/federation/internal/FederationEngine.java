package io.polystore.sync.federation.internal;

import io.polystore.sync.federation.QueryLimitException;
import io.polystore.sync.federation.QueryRefusedException;
import io.polystore.sync.federation.QueryResult;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.Driver;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Apache Calcite over the two stores: schema {@code orders} (order-service's PostgreSQL through Calcite's JDBC
 * adapter, which pushes filters, projections, aggregates, joins, sorting and limits within PostgreSQL into the SQL
 * it sends) and schema {@code catalog} (catalog-service's SurrealDB through {@link SurrealQueryRel}). Each query
 * gets a Calcite connection of its own; the schemas, and with them the table metadata, are built once.
 */
public final class FederationEngine implements AutoCloseable {

    private static final Driver CALCITE = new Driver();
    /** SQL as PostgreSQL users write it: unquoted names as they are, matched regardless of case. */
    private static final Properties CONNECTION = connectionProperties();

    /** Prepared statements kept per SQL text for {@link #queryPrepared}; a few per statement suffice. */
    private static final int MAX_IDLE_PER_STATEMENT = 8;

    private final Map<String, Deque<Prepared>> prepared = new ConcurrentHashMap<>();
    private final Schema orders;
    private final Schema catalog;
    private final ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("federation-time-limit").daemon().factory());

    /**
     * @param orders  a pool on order-service's database as the read-only role
     * @param catalog the catalog's SurrealDB database as the read-only user
     */
    public FederationEngine(DataSource orders, CatalogStore catalog) {
        SchemaPlus detached = CalciteSchema.createRootSchema(false).plus();
        // The schema's generated code finds its data source by name from the query's own root: "orders".
        this.orders = JdbcSchema.create(detached, "orders", OrdersColumns.restrict(orders), null, "public");
        Map<String, Table> tables = new LinkedHashMap<>();
        CatalogTables.all(catalog).forEach(table -> tables.put(table.name(), table.asSqlTable()));
        this.catalog = new AbstractSchema() {
            @Override
            protected Map<String, Table> getTableMap() {
                return tables;
            }
        };
    }

    /**
     * Plans and runs one query (the caller has checked that it is one) with its parameters.
     *
     * @throws QueryRefusedException when it does not fit the schema (unknown table or column, wrong types)
     * @throws QueryLimitException   when it returns more than {@code rowCap} rows or runs longer than {@code timeLimit}
     * @throws SQLException          when a store fails
     */
    public QueryResult query(String sql, List<?> parameters, int rowCap, Duration timeLimit) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = prepare(connection, sql)) {
            return execute(statement, parameters, rowCap, timeLimit);
        }
    }

    /**
     * As {@link #query}, for the service's own statements: each is planned (and its code compiled) once per
     * concurrent caller, and its prepared statement is used again with the next parameters. A statement whose run
     * failed is closed, not used again.
     */
    public QueryResult queryPrepared(String sql, List<?> parameters, int rowCap, Duration timeLimit) throws SQLException {
        Deque<Prepared> idle = prepared.computeIfAbsent(sql, key -> new ConcurrentLinkedDeque<>());
        Prepared session = idle.pollFirst();
        if (session == null) {
            Connection connection = connect();
            try {
                session = new Prepared(connection, prepare(connection, sql));
            } catch (RuntimeException e) {
                connection.close();
                throw e;
            }
        }
        boolean reusable = false;
        try {
            QueryResult result = execute(session.statement(), parameters, rowCap, timeLimit);
            reusable = true;
            return result;
        } finally {
            if (reusable && idle.size() < MAX_IDLE_PER_STATEMENT) {
                idle.offerFirst(session);
            } else {
                session.close();
            }
        }
    }

    private QueryResult execute(PreparedStatement statement, List<?> parameters, int rowCap, Duration timeLimit)
            throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
        statement.setMaxRows(rowCap + 1);
        statement.setQueryTimeout((int) Math.max(1, (timeLimit.toMillis() + 999) / 1000));
        AtomicBoolean cancelled = new AtomicBoolean();
        ScheduledFuture<?> deadline = canceller.schedule(() -> {
            cancelled.set(true);
            try {
                statement.cancel();
            } catch (SQLException ignored) {
                // The statement finished meanwhile.
            }
        }, timeLimit.toNanos(), TimeUnit.NANOSECONDS);
        try (ResultSet rows = statement.executeQuery()) {
            return read(rows, rowCap, cancelled);
        } catch (SQLException | RuntimeException e) {
            if (cancelled.get() || timedOut(e)) {
                throw timeLimitExceeded(timeLimit);
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    /** Calcite's plan of {@code sql}: what runs in Calcite, and the SQL and SurrealQL sent to the stores. */
    public String explain(String sql, List<?> parameters) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement statement = prepare(connection, "EXPLAIN PLAN FOR " + sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet plan = statement.executeQuery()) {
                StringBuilder text = new StringBuilder();
                while (plan.next()) {
                    text.append(plan.getString(1));
                }
                return text.toString();
            }
        }
    }

    private Connection connect() throws SQLException {
        CalciteConnection connection = CALCITE.connect("jdbc:calcite:", CONNECTION).unwrap(CalciteConnection.class);
        SchemaPlus root = connection.getRootSchema();
        root.add("orders", orders);
        root.add("catalog", catalog);
        return connection;
    }

    private static PreparedStatement prepare(Connection connection, String sql) {
        try {
            return connection.prepareStatement(sql);
        } catch (SQLException | RuntimeException e) {
            throw new QueryRefusedException(rootMessage(e));
        }
    }

    private static QueryResult read(ResultSet rows, int rowCap, AtomicBoolean cancelled) throws SQLException {
        ResultSetMetaData metadata = rows.getMetaData();
        List<QueryResult.Column> columns = new ArrayList<>();
        for (int i = 1; i <= metadata.getColumnCount(); i++) {
            columns.add(new QueryResult.Column(metadata.getColumnLabel(i), metadata.getColumnTypeName(i)));
        }
        List<List<Object>> result = new ArrayList<>();
        while (rows.next()) {
            if (result.size() == rowCap) {
                throw new QueryLimitException(QueryLimitException.Limit.ROW_CAP, "The query returns more than "
                        + rowCap + " rows, the cap; add a LIMIT, or narrow or aggregate it.");
            }
            List<Object> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                row.add(value(rows.getObject(i)));
            }
            result.add(row);
        }
        if (cancelled.get()) {
            throw new SQLException("cancelled");
        }
        return new QueryResult(columns, result);
    }

    private static Object value(Object value) {
        return switch (value) {
            case Timestamp timestamp -> timestamp.toInstant();
            case Date date -> date.toLocalDate();
            case Time time -> time.toLocalTime();
            case null, default -> value;
        };
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "57014".equals(sql.getSQLState())
                    || cause instanceof io.polystore.surrealdb.SurrealTimeoutException
                    || String.valueOf(cause.getMessage()).contains("cancel")
                    // Calcite's own check of the statement's query timeout.
                    || String.valueOf(cause.getMessage()).startsWith("Timeout of '")) {
                return true;
            }
        }
        return false;
    }

    private static QueryLimitException timeLimitExceeded(Duration timeLimit) {
        return new QueryLimitException(QueryLimitException.Limit.TIME_LIMIT, "The query ran longer than its time limit of "
                + timeLimit.toMillis() + " ms and was cancelled in both stores.");
    }

    /** Calcite wraps validation errors several times; the innermost message names the table or column. */
    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        String message = failure.getMessage();
        while (cause != null) {
            if (cause.getMessage() != null) {
                message = cause.getMessage();
            }
            cause = cause.getCause();
        }
        return message;
    }

    private static Properties connectionProperties() {
        Properties properties = new Properties();
        properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
        properties.setProperty(CalciteConnectionProperty.UNQUOTED_CASING.camelName(), "UNCHANGED");
        properties.setProperty(CalciteConnectionProperty.QUOTED_CASING.camelName(), "UNCHANGED");
        properties.setProperty(CalciteConnectionProperty.TIME_ZONE.camelName(), "UTC");
        return properties;
    }

    @Override
    public void close() {
        canceller.shutdownNow();
        prepared.values().forEach(idle -> idle.forEach(Prepared::close));
    }

    private record Prepared(Connection connection, PreparedStatement statement) {
        void close() {
            try (connection; statement) {
                // Closed by the try.
            } catch (SQLException ignored) {
                // Nothing to do about a statement that cannot be closed.
            }
        }
    }
}
