package io.polystore.catalog.internal;

/** The request names something that does not exist: 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what, String id) {
        super("No " + what + " with id '" + id + "'");
    }
}
