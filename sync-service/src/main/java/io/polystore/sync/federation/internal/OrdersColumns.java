package io.polystore.sync.federation.internal;

import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of order-service's tables that the {@code orders} schema shows: nothing that is or points to personal
 * data. Left out: {@code customer_order.customer_id} (the customer's identity, the key to their personal data and
 * their purchase history), its {@code personal_data} and {@code personal_data_key_id}, {@code idempotency_key} and
 * {@code request_fingerprint} (chosen by or derived from the customer's request), {@code status_reason} (free text),
 * the outbox (events carry customer ids), the inbox, the saga's transitions and the {@code keyvault} schema.
 * The read-only role is granted exactly these columns, and Calcite sees exactly these.
 */
public final class OrdersColumns {

    /** Table name to its readable columns, all in schema {@code public}. */
    public static final Map<String, List<String>> READABLE = readable();

    private OrdersColumns() {
    }

    private static Map<String, List<String>> readable() {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        tables.put("customer_order", List.of("id", "status", "total_amount", "currency", "placed_at", "updated_at"));
        tables.put("order_line", List.of("order_id", "line_no", "product_id", "sku", "product_name", "quantity",
                "unit_price", "line_total"));
        tables.put("order_saga", List.of("order_id", "state", "started_at", "updated_at"));
        tables.put("price_snapshot", List.of("product_id", "sku", "name", "price_amount", "currency", "active",
                "changed_at"));
        return java.util.Collections.unmodifiableMap(tables);
    }

    /**
     * {@code dataSource} whose metadata lists only the readable tables and columns, so that Calcite's JDBC adapter
     * builds the schema from them (PostgreSQL's driver lists every column of a table, granted or not).
     */
    static DataSource restrict(DataSource dataSource) {
        return new DelegatingDataSource(dataSource) {
            @Override
            public Connection getConnection() throws SQLException {
                return restricted(super.getConnection());
            }
        };
    }

    private static Connection restricted(Connection connection) {
        return proxy(Connection.class, connection, (method, args) -> {
            Object result = method.invoke(connection, args);
            return method.getName().equals("getMetaData") ? restricted((DatabaseMetaData) result) : result;
        });
    }

    private static DatabaseMetaData restricted(DatabaseMetaData metadata) {
        return proxy(DatabaseMetaData.class, metadata, (method, args) -> {
            Object result = method.invoke(metadata, args);
            return switch (method.getName()) {
                case "getTables" -> filtered((ResultSet) result, false);
                case "getColumns" -> filtered((ResultSet) result, true);
                default -> result;
            };
        });
    }

    /** Skips the rows of tables (and, for columns, of columns) that are not readable. */
    private static ResultSet filtered(ResultSet rows, boolean columns) {
        return proxy(ResultSet.class, rows, (method, args) -> {
            if (!method.getName().equals("next")) {
                return method.invoke(rows, args);
            }
            while (rows.next()) {
                List<String> readable = READABLE.get(rows.getString("TABLE_NAME"));
                if ("public".equals(rows.getString("TABLE_SCHEM")) && readable != null
                        && (!columns || readable.contains(rows.getString("COLUMN_NAME")))) {
                    return true;
                }
            }
            return false;
        });
    }

    private interface Call {
        Object invoke(Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T target, Call call) {
        InvocationHandler handler = (proxy, method, args) -> {
            try {
                return call.invoke(method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(OrdersColumns.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
