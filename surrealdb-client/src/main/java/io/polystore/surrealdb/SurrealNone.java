package io.polystore.surrealdb;

/**
 * SurrealDB's NONE (CBOR tag 6): a field that is absent, which SurrealDB keeps apart from {@code NULL} (Java {@code null}).
 * Setting a field to NONE removes it; a {@code SELECT} of a missing field returns NONE.
 */
public enum SurrealNone {
    NONE;

    @Override
    public String toString() {
        return "NONE";
    }
}
