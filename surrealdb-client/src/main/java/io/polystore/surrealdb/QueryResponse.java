package io.polystore.surrealdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-statement results of one {@code query} call, in statement order. A failed statement does not throw by
 * itself: {@link #result(int)} and {@link #requireSuccess()} throw {@link SurrealStatementException}, or
 * {@link SurrealTransactionException} naming the statement that made a transaction fail.
 * <p>
 * Statements count from 0 as written, {@code BEGIN} included: SurrealDB answers each statement that ran, and a
 * successful {@code COMMIT} too, but no entry for the {@code COMMIT} of a failed transaction.
 */
public final class QueryResponse {

    private final String sql;
    private final List<StatementResult> statements;
    private List<String> statementTexts;

    public QueryResponse(String sql, List<StatementResult> statements) {
        this.sql = sql;
        this.statements = List.copyOf(statements);
    }

    public List<StatementResult> statements() {
        return statements;
    }

    public int size() {
        return statements.size();
    }

    public StatementResult get(int index) {
        return statements.get(index);
    }

    public boolean succeeded() {
        return statements.stream().allMatch(StatementResult.Ok.class::isInstance);
    }

    /** The statement that failed first: in a failed transaction the cause, not the statements cancelled with it. */
    public Optional<StatementResult.Err> failure() {
        StatementResult.Err collateral = null;
        for (StatementResult statement : statements) {
            if (statement instanceof StatementResult.Err err) {
                if (!err.isCollateral()) {
                    return Optional.of(err);
                }
                if (collateral == null) {
                    collateral = err;
                }
            }
        }
        return Optional.ofNullable(collateral);
    }

    /** This response if every statement succeeded, else the exception for the first failure. */
    public QueryResponse requireSuccess() {
        failure().ifPresent(err -> {
            throw exceptionFor(err);
        });
        return this;
    }

    /** The result of statement {@code index}, or the exception for its failure (or its transaction's). */
    public Object result(int index) {
        if (index < 0 || index >= statements.size()) {
            // A failed transaction leaves fewer entries than statements: report the failure, not a missing index.
            failure().ifPresent(err -> {
                throw exceptionFor(err);
            });
            throw new IndexOutOfBoundsException("The query has " + statements.size() + " results, not " + (index + 1));
        }
        return switch (statements.get(index)) {
            case StatementResult.Ok ok -> ok.result();
            case StatementResult.Err err when err.isCollateral() -> throw exceptionFor(failure().orElse(err));
            case StatementResult.Err err -> throw exceptionFor(err);
        };
    }

    /** The result of the last statement, usually the one a query is written for. */
    public Object lastResult() {
        return result(statements.size() - 1);
    }

    /**
     * The rows of statement {@code index}: its result when it is a list of objects (SELECT, CREATE, UPDATE ...),
     * a single object as one row, NONE or null as none.
     */
    public List<Map<String, Object>> rows(int index) {
        return asRows(result(index), index);
    }

    /** The first row of statement {@code index}, if it has one. */
    public Optional<Map<String, Object>> firstRow(int index) {
        List<Map<String, Object>> rows = rows(index);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    /** The rows of statement {@code index} as records (see {@link RowMapping}). */
    public <R extends Record> List<R> rows(int index, Class<R> type) {
        List<Map<String, Object>> rows = rows(index);
        List<R> records = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            records.add(RowMapping.to(type, row));
        }
        return records;
    }

    /** The first row of statement {@code index} as a record, if it has one. */
    public <R extends Record> Optional<R> firstRow(int index, Class<R> type) {
        return firstRow(index).map(row -> RowMapping.to(type, row));
    }

    /** The result of statement {@code index}, an object such as {@code RETURN {...}} gives, as a record. */
    public <R extends Record> R result(int index, Class<R> type) {
        return RowMapping.to(type, result(index));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> asRows(Object result, int index) {
        return switch (result) {
            case null -> List.of();
            case SurrealNone none -> List.of();
            case Map<?, ?> row -> List.of((Map<String, Object>) row);
            case List<?> list -> {
                for (Object element : list) {
                    if (!(element instanceof Map)) {
                        throw new IllegalStateException("Statement " + (index + 1) + " returned a list of "
                                + (element == null ? "null" : element.getClass().getSimpleName()) + ", not of objects");
                    }
                }
                yield (List<Map<String, Object>>) list;
            }
            default -> throw new IllegalStateException("Statement " + (index + 1) + " returned a "
                    + result.getClass().getSimpleName() + ", not rows");
        };
    }

    private SurrealStatementException exceptionFor(StatementResult.Err err) {
        List<String> texts = statementTexts();
        String statement = err.index() < texts.size() ? texts.get(err.index()) : null;
        // SurrealDB marks the statements around the failure, but not when the failing one is alone after BEGIN.
        boolean inFailedTransaction = err.isCollateral()
                || statements.stream().anyMatch(s -> s instanceof StatementResult.Err other && other.isCollateral())
                || SurrealQlStatements.insideTransaction(texts, err.index());
        return inFailedTransaction
                ? new SurrealTransactionException(err, statement)
                : new SurrealStatementException(err, statement);
    }

    private List<String> statementTexts() {
        if (statementTexts == null) {
            statementTexts = SurrealQlStatements.split(sql);
        }
        return statementTexts;
    }

    @Override
    public String toString() {
        return "QueryResponse" + statements;
    }
}
