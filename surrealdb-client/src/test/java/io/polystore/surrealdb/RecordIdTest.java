package io.polystore.surrealdb;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordIdTest {

    @Test
    void parsesTheTextForm() {
        assertThat(RecordId.parse("product:abc")).isEqualTo(RecordId.of("product", "abc"));
        assertThat(RecordId.parse("order:42")).isEqualTo(RecordId.of("order", 42L));
        assertThat(RecordId.parse("product:⟨a-b c⟩")).isEqualTo(RecordId.of("product", "a-b c"));
        assertThat(RecordId.parse("product:`x:y`")).isEqualTo(RecordId.of("product", "x:y"));
        assertThat(RecordId.parse("n:99999999999999999999")).isEqualTo(RecordId.of("n", "99999999999999999999"));
    }

    @Test
    void printsKeysEscapedWhereNeeded() {
        UUID uuid = UUID.fromString("0190d8a4-7b7e-7c4e-9c1a-3f1e2d3c4b5a");

        assertThat(RecordId.of("product", "abc")).hasToString("product:abc");
        assertThat(RecordId.of("product", "a-b")).hasToString("product:⟨a-b⟩");
        assertThat(RecordId.of("product", "x⟩y")).hasToString("product:⟨x\\⟩y⟩");
        assertThat(RecordId.of("order", 7)).hasToString("order:7");
        assertThat(RecordId.of("order", uuid)).hasToString("order:u'0190d8a4-7b7e-7c4e-9c1a-3f1e2d3c4b5a'");
        assertThat(RecordId.parse(RecordId.of("product", "a-b").toString())).isEqualTo(RecordId.of("product", "a-b"));
    }

    @Test
    void normalisesIntegerKeysToLong() {
        assertThat(RecordId.of("t", 5)).isEqualTo(RecordId.of("t", 5L));
        assertThat(RecordId.of("t", 5).longKey()).isEqualTo(5L);
        assertThat(RecordId.of("t", "k").stringKey()).isEqualTo("k");
        assertThat(RecordId.of("t", List.of(1, 2)).key()).isEqualTo(List.of(1, 2));
    }

    @Test
    void refusesWhatIsNotARecordId() {
        assertThatThrownBy(() -> RecordId.parse("no-colon")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordId.parse(":key")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordId.of("t", 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordId.of("", "k")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordId.of("t", 5).stringKey()).isInstanceOf(IllegalStateException.class);
    }
}
