package io.polystore.events;

import java.util.List;

/** Argument checks for the compact constructors; each message names the offending field. */
final class Require {

    private Require() {
    }

    static <T> T notNull(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static String notBlank(String value, String field) {
        if (notNull(value, field).isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    static String nullOrNotBlank(String value, String field) {
        return value == null ? null : notBlank(value, field);
    }

    static int positive(int value, String field) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }

    static long positive(long value, String field) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }

    static long notNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value);
        }
        return value;
    }

    static Money notNegative(Money value, String field) {
        if (notNull(value, field).amount().signum() < 0) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value.amount());
        }
        return value;
    }

    /** An immutable copy of a list that may be empty but holds no blank strings. */
    static List<String> notBlankCopy(List<String> values, String field) {
        for (String value : notNull(values, field)) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(field + " must not contain blank values");
            }
        }
        return List.copyOf(values);
    }

    /** An immutable copy of a list that must hold at least one element and no nulls. */
    static <T> List<T> nonEmptyCopy(List<T> values, String field) {
        if (notNull(values, field).isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        for (T value : values) {
            if (value == null) {
                throw new IllegalArgumentException(field + " must not contain null");
            }
        }
        return List.copyOf(values);
    }
}
