package io.polystore.catalog.internal;

import io.polystore.surrealdb.SurrealStatementException;

import java.util.Optional;

/**
 * The catalog's transactions stop with {@code THROW 'polystore:<code>'} when a check inside them fails; this reads
 * the code back from the failure.
 */
public final class ThrownCode {

    public static final String STALE = "stale";
    private static final String PREFIX = "polystore:";

    private ThrownCode() {
    }

    /** The SurrealQL that throws {@code code}; codes are constants, never input. */
    public static String throwing(String code) {
        return "THROW '" + PREFIX + code + "'";
    }

    /** The code of a {@code THROW 'polystore:...'}, if that is what failed. */
    public static Optional<String> of(SurrealStatementException failure) {
        String message = failure.failure().message();
        if (!"Thrown".equals(failure.kind()) || message == null) {
            return Optional.empty();
        }
        int start = message.indexOf(PREFIX);
        return start < 0 ? Optional.empty() : Optional.of(message.substring(start + PREFIX.length()).strip());
    }
}
