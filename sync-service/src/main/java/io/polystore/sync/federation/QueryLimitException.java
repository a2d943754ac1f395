package io.polystore.sync.federation;

/** A query that ran into a limit: its work in both stores was stopped and no rows are returned. */
public final class QueryLimitException extends RuntimeException {

    private final Limit limit;

    public QueryLimitException(Limit limit, String message) {
        super(message);
        this.limit = limit;
    }

    public Limit limit() {
        return limit;
    }

    public enum Limit {
        ROW_CAP,
        TIME_LIMIT
    }
}
