package io.polystore.order.replica;

import io.polystore.servicedefaults.problem.InvalidInputException;
import io.polystore.servicedefaults.web.CursorCodec;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Where a page of replicated orders ended: the last order's placing time and id, the listing's keyset. */
record ReplicaCursor(Instant placedAt, UUID id) {

    private static final CursorCodec<ReplicaCursor> CODEC = CursorCodec.of("replicated-orders",
            cursor -> List.of(cursor.placedAt().toString(), cursor.id().toString()),
            values -> new ReplicaCursor(Instant.parse(values.get(0)), UUID.fromString(values.get(1))));

    String encode() {
        return CODEC.encode(this);
    }

    /** @throws InvalidInputException naming {@code cursor} when the text is not a cursor this API issued */
    static ReplicaCursor decode(String text) {
        return CODEC.decode(text);
    }
}
