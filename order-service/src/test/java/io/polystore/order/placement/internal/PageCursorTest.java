package io.polystore.order.placement.internal;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PageCursorTest {

    @Test
    void aCursorReadsBackAsItWasWritten() {
        PageCursor cursor = new PageCursor(Instant.parse("2026-03-04T05:06:07.123456Z"), UUID.randomUUID());

        assertThat(PageCursor.decode(cursor.encode())).contains(cursor);
        assertThat(cursor.encode()).doesNotContain("=", "+", "/");
    }

    @Test
    void anythingElseIsNoCursor() {
        assertThat(PageCursor.decode("not-a-cursor")).isEmpty();
        assertThat(PageCursor.decode("")).isEmpty();
        assertThat(PageCursor.decode("MjAyNi0wMy0wNFQwNTowNjowN1o")).isEmpty();
    }
}
