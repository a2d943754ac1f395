package io.polystore.surrealdb;

/** The outcome of one statement of a query, in the order of the statements. */
public sealed interface StatementResult {

    /** The position of the statement in the query, from 0. */
    int index();

    /** How long the statement took, as SurrealDB reports it (e.g. {@code 35.2µs}). */
    String time();

    /** Status {@code OK}: the statement's result value. */
    record Ok(int index, String time, Object result) implements StatementResult {
    }

    /** Status {@code ERR}: the message, SurrealDB's error kind and its details when sent. */
    record Err(int index, String time, String message, String kind, Object details) implements StatementResult {

        /** A statement SurrealDB did not run, or rolled back, because another statement of its transaction failed. */
        public boolean isCollateral() {
            return message != null && (message.contains("not executed due to a failed transaction")
                    || message.contains("not executed due to a cancelled transaction")
                    || message.contains("cancelled transaction"));
        }
    }
}
