package io.polystore.order.placement.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a page of orders ended: the last order's placing time and id, the keyset of the listing's sort order.
 * Opaque to clients (base64url), so that its form may change.
 */
public record PageCursor(Instant placedAt, UUID id) {

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((placedAt + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or empty when the text is not one this API issued. */
    public static Optional<PageCursor> decode(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length != 2) {
                return Optional.empty();
            }
            return Optional.of(new PageCursor(Instant.parse(parts[0]), UUID.fromString(parts[1])));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
