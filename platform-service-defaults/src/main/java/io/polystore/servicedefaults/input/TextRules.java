package io.polystore.servicedefaults.input;

import java.util.Optional;

/**
 * What no text in a Polystore request may contain, whichever field it is in: the NUL character, which PostgreSQL
 * cannot store in text or JSON and no field means, and a lone UTF-16 surrogate (JSON's {@code "\ud800"}), which is
 * no Unicode character at all and has no UTF-8 form, so that neither store could keep it verbatim.
 */
public final class TextRules {

    private TextRules() {
    }

    /** Why {@code text} is refused, or empty when it is acceptable. */
    public static Optional<String> problem(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return Optional.of("must not contain the NUL character");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("must be valid Unicode: it contains a lone UTF-16 surrogate");
            }
        }
        return Optional.empty();
    }
}
