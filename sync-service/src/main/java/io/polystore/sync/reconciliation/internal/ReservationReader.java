package io.polystore.sync.reconciliation.internal;

import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads catalog-service's reservations (table {@code reservation}, keyed by the order id) from its database. */
public final class ReservationReader implements AutoCloseable {

    private static final String FIELDS = "SELECT order_id, status, lines, updated_at FROM ";
    /** Keeps a request well below SurrealDB's 4 MiB body limit. */
    private static final int IDS_PER_QUERY = 1000;

    private final SurrealClient catalog;

    /** @param catalog a client on catalog-service's database; closed with this reader */
    public ReservationReader(SurrealClient catalog) {
        this.catalog = catalog;
    }

    /** Reservations that hold stock: RESERVED or CONFIRMED. */
    public List<ReservationSnapshot> holdingStock() {
        return snapshots(catalog.query(FIELDS + "reservation WHERE status IN $statuses",
                Map.of("statuses", List.of("RESERVED", "CONFIRMED"))).rows(0));
    }

    /** The reservations of these orders, whatever their status; orders without one are left out. */
    public List<ReservationSnapshot> of(Collection<String> orderIds) {
        List<String> ids = List.copyOf(orderIds);
        List<ReservationSnapshot> reservations = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
            List<RecordId> records = ids.subList(from, Math.min(from + IDS_PER_QUERY, ids.size())).stream()
                    .map(id -> RecordId.of("reservation", id)).toList();
            // SurrealDB 3.0.2 answers "Specify a database to use" to SELECT ... FROM $records.
            reservations.addAll(snapshots(catalog.query(FIELDS + "reservation WHERE id IN $records",
                    Map.of("records", records)).rows(0)));
        }
        return reservations;
    }

    private static List<ReservationSnapshot> snapshots(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> {
            Map<String, Integer> quantities = new LinkedHashMap<>();
            for (Object line : (List<?>) row.get("lines")) {
                Map<?, ?> fields = (Map<?, ?>) line;
                quantities.merge((String) fields.get("product_id"), ((Number) fields.get("quantity")).intValue(), Integer::sum);
            }
            return new ReservationSnapshot((String) row.get("order_id"), (String) row.get("status"), quantities,
                    (Instant) row.get("updated_at"));
        }).toList();
    }

    @Override
    public void close() {
        catalog.close();
    }
}
