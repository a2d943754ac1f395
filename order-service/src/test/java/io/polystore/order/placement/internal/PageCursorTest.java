package io.polystore.order.placement.internal;

import io.polystore.servicedefaults.problem.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageCursorTest {

    @Test
    void aCursorReadsBackAsItWasWritten() {
        PageCursor cursor = new PageCursor(Instant.parse("2026-03-04T05:06:07.123456Z"), UUID.randomUUID());

        assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
        assertThat(cursor.encode()).doesNotContain("=", "+", "/");
    }

    @Test
    void anythingElseIsRefusedNamingTheCursor() {
        for (String text : new String[]{"not-a-cursor", "", "MjAyNi0wMy0wNFQwNTowNjowN1o"}) {
            assertThatThrownBy(() -> PageCursor.decode(text)).as(text)
                    .isInstanceOfSatisfying(InvalidInputException.class,
                            e -> assertThat(e.problems().getFirst().field()).isEqualTo("cursor"));
        }
    }
}
