package io.polystore.surrealdb;

/**
 * A {@code BEGIN ... COMMIT} transaction failed and was rolled back, so none of its statements took effect.
 * {@link #failure()} is the statement that made it fail (a {@code THROW}, a violated assertion, a conflict);
 * SurrealDB reports the statements around it as not executed or cancelled.
 */
public class SurrealTransactionException extends SurrealStatementException {

    public SurrealTransactionException(StatementResult.Err failure, String statement) {
        super(describe("Transaction failed: statement", failure, statement), failure, statement);
    }
}
