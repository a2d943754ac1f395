package io.polystore.sync.federation;

/** A query that is not accepted before anything runs: not one read-only query, or not valid against the schema. */
public final class QueryRefusedException extends RuntimeException {

    public QueryRefusedException(String message) {
        super(message);
    }
}
