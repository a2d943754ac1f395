package io.polystore.testkit;

import java.util.Locale;

/** Where the real servers come from: embedded in this machine's processes, or Docker containers via Testcontainers. */
public enum Backend {
    EMBEDDED,
    CONTAINERS;

    /** Maven's {@code -Pcontainers} profile sets {@code polystore.testkit.backend=containers}. */
    public static Backend current() {
        String value = System.getProperty("polystore.testkit.backend", "embedded");
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("polystore.testkit.backend must be 'embedded' or 'containers', not '" + value + "'");
        }
    }
}
