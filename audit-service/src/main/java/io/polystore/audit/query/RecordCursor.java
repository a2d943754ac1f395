package io.polystore.audit.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque cursor of a search: the position of the last record returned. Positions never change and new records
 * only come after the head, so paging is stable while the trail grows.
 */
final class RecordCursor {

    private static final String PREFIX = "after:";

    private RecordCursor() {
    }

    static String after(long position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + position).getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws InvalidQueryException if the text is no cursor this API issued */
    static long position(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (decoded.startsWith(PREFIX)) {
                long position = Long.parseLong(decoded.substring(PREFIX.length()));
                if (position >= 0) {
                    return position;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the same answer as any other malformed cursor
        }
        throw new InvalidQueryException("cursor", "is not a cursor returned by this API");
    }
}
