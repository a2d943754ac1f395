package io.polystore.catalog.internal;

/**
 * What a name or SKU may hold: any text but control characters (a bell, a line break, C1 codes), which no name
 * means and which would break the lines of whatever prints it (a log, a CSV export, an e-mail header). Category
 * names are stored stripped of surrounding whitespace, which for Java includes some control characters: refusing
 * them keeps every stored name exactly what was sent.
 */
public final class Names {

    /** For {@code @Pattern(regexp = ...)}. */
    public static final String NO_CONTROL_CHARACTERS = "[^\\p{Cc}]*";
    public static final String NO_CONTROL_CHARACTERS_MESSAGE = "must not contain control characters";

    private Names() {
    }
}
