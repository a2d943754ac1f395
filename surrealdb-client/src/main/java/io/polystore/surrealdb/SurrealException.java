package io.polystore.surrealdb;

/** Anything that went wrong talking to SurrealDB; the subclasses say what. */
public class SurrealException extends RuntimeException {

    public SurrealException(String message) {
        super(message);
    }

    public SurrealException(String message, Throwable cause) {
        super(message, cause);
    }
}
