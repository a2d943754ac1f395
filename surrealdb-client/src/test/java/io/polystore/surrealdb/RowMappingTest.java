package io.polystore.surrealdb;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowMappingTest {

    enum Status { RESERVED, RELEASED }

    record Line(String productId, int quantity) {
    }

    record Price(BigDecimal amount, String currency) {
    }

    record Reservation(RecordId id, Status status, List<Line> lines, Price price, Map<String, Object> attributes,
                       List<RecordId> categories, boolean active, long version, Instant expiresAt, String releaseReason) {
    }

    @Test
    void aRowBecomesARecordWithSnakeCaseFieldsNestedRecordsListsAndEnums() {
        Instant expiry = Instant.parse("2026-01-02T03:04:05Z");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", RecordId.of("reservation", "o1"));
        row.put("status", "RESERVED");
        row.put("lines", List.of(Map.of("product_id", "p1", "quantity", 2L)));
        row.put("price", Map.of("amount", 10L, "currency", "EUR"));
        row.put("attributes", Map.of("colour", "red"));
        row.put("categories", List.of(RecordId.of("category", "c1")));
        row.put("active", true);
        row.put("version", 3L);
        row.put("expires_at", expiry);
        row.put("release_reason", SurrealNone.NONE);

        Reservation reservation = RowMapping.to(Reservation.class, row);

        assertThat(reservation).isEqualTo(new Reservation(RecordId.of("reservation", "o1"), Status.RESERVED,
                List.of(new Line("p1", 2)), new Price(new BigDecimal("10"), "EUR"), Map.of("colour", "red"),
                List.of(RecordId.of("category", "c1")), true, 3, expiry, null));
    }

    @Test
    void absentValuesAreNullOrEmptyButAPrimitiveNeedsOne() {
        record Optional(String text, List<String> texts, Map<String, Object> object) {
        }
        record Required(long count) {
        }

        assertThat(RowMapping.to(Optional.class, Map.of())).isEqualTo(new Optional(null, List.of(), Map.of()));
        assertThatThrownBy(() -> RowMapping.to(Required.class, Map.of("count", SurrealNone.NONE)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Required.count");
    }

    @Test
    void aValueOfTheWrongTypeNamesTheRecordAndTheField() {
        record Stock(long available) {
        }

        assertThatThrownBy(() -> RowMapping.to(Stock.class, Map.of("available", "many")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Stock.available");
        assertThatThrownBy(() -> RowMapping.to(Reservation.class, Map.of("status", "LOST")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Reservation.status");
    }

    @Test
    void decimalsComeFromAnyNumber() {
        record Amount(BigDecimal value) {
        }

        assertThat(RowMapping.to(Amount.class, Map.of("value", 2.5d)).value()).isEqualByComparingTo("2.5");
        assertThat(RowMapping.to(Amount.class, Map.of("value", new BigDecimal("9.90"))).value()).isEqualTo("9.90");
    }
}
