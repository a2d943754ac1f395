package io.polystore.catalog.internal;

/** The request conflicts with the current state (a stale version, a taken SKU, a category still in use): 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
