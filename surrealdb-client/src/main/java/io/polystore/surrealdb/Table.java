package io.polystore.surrealdb;

import java.util.Objects;

/** A table name as a SurrealQL value (CBOR tag 7), e.g. for {@code SELECT * FROM $table}. */
public record Table(String name) {

    public Table {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("A table needs a name");
        }
    }

    public static Table of(String name) {
        return new Table(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
