package io.polystore.order.placement.internal;

import io.polystore.servicedefaults.problem.InvalidInputException;
import io.polystore.servicedefaults.web.CursorCodec;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Where a page of orders ended: the last order's placing time and id, the keyset of the listing's sort order. */
public record PageCursor(Instant placedAt, UUID id) {

    private static final CursorCodec<PageCursor> CODEC = CursorCodec.of("orders",
            cursor -> List.of(cursor.placedAt().toString(), cursor.id().toString()),
            values -> new PageCursor(Instant.parse(values.get(0)), UUID.fromString(values.get(1))));

    /** The opaque text clients pass back for the next page. */
    public String encode() {
        return CODEC.encode(this);
    }

    /** @throws InvalidInputException naming {@code cursor} when the text is not a cursor this API issued */
    public static PageCursor decode(String text) {
        return CODEC.decode(text);
    }
}
