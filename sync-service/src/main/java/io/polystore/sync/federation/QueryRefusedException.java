package io.polystore.sync.federation;

import io.polystore.servicedefaults.problem.InvalidInputException;

/**
 * A query that is not accepted before anything runs: not one read-only query, or not valid against the schema.
 * Answered 400 with the reason under the field {@code sql}.
 */
public final class QueryRefusedException extends InvalidInputException {

    public QueryRefusedException(String reason) {
        super("sql", reason);
    }
}
