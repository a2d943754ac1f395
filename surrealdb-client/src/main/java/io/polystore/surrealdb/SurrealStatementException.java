package io.polystore.surrealdb;

import java.util.Optional;

/**
 * A statement of a query failed (status {@code ERR}). Outside a transaction the other statements of the query ran
 * regardless; see {@link SurrealTransactionException} for failures inside {@code BEGIN ... COMMIT}.
 */
public class SurrealStatementException extends SurrealException {

    /** Marks the codes that {@link SurrealQl#throwIf} throws, apart from other {@code THROW}s. */
    static final String THROWN_PREFIX = "polystore:";

    private final StatementResult.Err failure;
    private final String statement;

    public SurrealStatementException(StatementResult.Err failure, String statement) {
        this(describe("Statement", failure, statement), failure, statement);
    }

    protected SurrealStatementException(String message, StatementResult.Err failure, String statement) {
        super(message);
        this.failure = failure;
        this.statement = statement;
    }

    /** The failed statement's result: its position in the query, message, kind and details. */
    public StatementResult.Err failure() {
        return failure;
    }

    /** The position of the failed statement in the query, from 0. */
    public int index() {
        return failure.index();
    }

    /** SurrealDB's error kind, such as {@code AlreadyExists}, {@code Thrown} or {@code NotFound}; null if none was sent. */
    public String kind() {
        return failure.kind();
    }

    /** The text of the failed statement, when the query could be split into statements; else null. */
    public String statement() {
        return statement;
    }

    /**
     * Whether running the same query again may succeed: a conflict between concurrent transactions, which SurrealDB
     * reports as "can be retried".
     */
    public boolean isRetryable() {
        String message = failure.message();
        return message != null && (message.contains("can be retried") || message.contains("Transaction conflict")
                || message.contains("Resource busy"));
    }

    /** The code of a {@link SurrealQl#throwIf} whose condition held, if that is what failed. */
    public Optional<String> thrownCode() {
        String message = failure.message();
        if (!"Thrown".equals(kind()) || message == null) {
            return Optional.empty();
        }
        int start = message.indexOf(THROWN_PREFIX);
        return start < 0 ? Optional.empty() : Optional.of(message.substring(start + THROWN_PREFIX.length()).strip());
    }

    static String describe(String what, StatementResult.Err failure, String statement) {
        StringBuilder text = new StringBuilder(what).append(' ').append(failure.index() + 1);
        if (statement != null) {
            text.append(" (").append(abbreviated(statement)).append(')');
        }
        text.append(" failed");
        if (failure.kind() != null) {
            text.append(" [").append(failure.kind()).append(']');
        }
        return text.append(": ").append(failure.message()).toString();
    }

    private static String abbreviated(String statement) {
        String oneLine = statement.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
    }
}
