package io.polystore.surrealdb.cbor;

/** A value that has no SurrealDB CBOR form, or CBOR that is not a valid SurrealDB value. */
public class SurrealCborException extends RuntimeException {

    public SurrealCborException(String message) {
        super(message);
    }

    public SurrealCborException(String message, Throwable cause) {
        super(message, cause);
    }
}
