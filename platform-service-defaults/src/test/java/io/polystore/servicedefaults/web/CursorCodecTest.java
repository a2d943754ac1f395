package io.polystore.servicedefaults.web;

import io.polystore.servicedefaults.problem.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorCodecTest {

    record Position(Instant at, UUID id) {
    }

    private static final CursorCodec<Position> ORDERS = CursorCodec.of("orders",
            position -> List.of(position.at().toString(), position.id().toString()),
            values -> new Position(Instant.parse(values.get(0)), UUID.fromString(values.get(1))));

    @Test
    void aCursorComesBackAsThePositionItWasMadeFrom() {
        Position position = new Position(Instant.parse("2026-03-04T05:06:07.123456Z"), UUID.randomUUID());

        String cursor = ORDERS.encode(position);

        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(ORDERS.decode(cursor)).isEqualTo(position);
    }

    @Test
    void valuesWithAnyCharactersSurvive() {
        CursorCodec<List<String>> names = CursorCodec.of("products", values -> values, values -> values);
        List<String> awkward = List.of("a|b\"c", "", "☃ 'quoted' \\ ; --");

        assertThat(names.decode(names.encode(awkward))).isEqualTo(awkward);
    }

    @Test
    void anEditedCursorIsRefusedNamingTheParameter() {
        String cursor = ORDERS.encode(new Position(Instant.parse("2026-03-04T05:06:07Z"), UUID.randomUUID()));
        String json = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String edited = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(json.replace("2026", "2025").getBytes(StandardCharsets.UTF_8));

        assertRefused(ORDERS, edited);
        assertRefused(ORDERS, cursor.substring(0, cursor.length() - 2));
    }

    @Test
    void aCursorOfAnotherListingIsRefused() {
        CursorCodec<Position> other = CursorCodec.of("audit records",
                position -> List.of(position.at().toString(), position.id().toString()),
                values -> new Position(Instant.parse(values.get(0)), UUID.fromString(values.get(1))));

        assertRefused(ORDERS, other.encode(new Position(Instant.now(), UUID.randomUUID())));
    }

    @Test
    void textThatIsNoCursorIsRefused() {
        for (String text : new String[]{"not-a-cursor", "%%%", "", "bnVsbA", "W10", "WzFd"}) {
            assertRefused(ORDERS, text);
        }
    }

    @Test
    void valuesThePositionCannotReadAreRefused() {
        CursorCodec<List<String>> loose = CursorCodec.of("orders", values -> values, values -> values);

        assertRefused(ORDERS, loose.encode(List.of("yesterday", "not-a-uuid")));
    }

    @Test
    void aReasonOfThePositionsOwnIsKept() {
        CursorCodec<String> sorted = CursorCodec.of("products", value -> List.of(value), values -> {
            throw new InvalidInputException("cursor", "comes from a search sorted by name");
        });

        assertThatThrownBy(() -> sorted.decode(sorted.encode("x")))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.problems().getFirst().reason()).isEqualTo("comes from a search sorted by name"));
    }

    private static void assertRefused(CursorCodec<?> codec, String text) {
        assertThatThrownBy(() -> codec.decode(text)).as(text)
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.problems().getFirst().field()).isEqualTo("cursor"));
    }
}
