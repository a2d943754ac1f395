package io.polystore.audit.query;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordCursorTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 42, Long.MAX_VALUE})
    void aCursorLeadsBackToItsPosition(long position) {
        String cursor = RecordCursor.after(position);

        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(RecordCursor.position(cursor)).isEqualTo(position);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "%%%", "NDI", "YWZ0ZXI6LTE", "YWZ0ZXI6eA"})
    void anythingElseIsRefusedNamingTheParameter(String cursor) {
        assertThatThrownBy(() -> RecordCursor.position(cursor))
                .isInstanceOfSatisfying(InvalidQueryException.class, e -> assertThat(e.parameter()).isEqualTo("cursor"));
    }
}
