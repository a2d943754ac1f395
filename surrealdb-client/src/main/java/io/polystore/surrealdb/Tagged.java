package io.polystore.surrealdb;

/**
 * A CBOR-tagged value whose tag this client does not map to a Java type (a newer SurrealDB value type, say).
 * It is kept as read, and written back unchanged.
 */
public record Tagged(long tag, Object value) {
}
