package io.polystore.sync.federation.internal;

import io.polystore.sync.federation.QueryRefusedException;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;

/**
 * Accepts exactly one read-only query ({@code SELECT}, {@code WITH ... SELECT}, set operations, {@code VALUES},
 * optionally under {@code EXPLAIN PLAN FOR}), parsed with Calcite's own parser before anything runs. Calcite's
 * parser knows no DDL, so {@code CREATE}, {@code DROP} and the like fail as syntax errors; DML and the rest are
 * named in the refusal.
 */
public final class StatementGuard {

    private StatementGuard() {
    }

    /** @return whether the statement is an {@code EXPLAIN} */
    public static boolean requireOneQuery(String sql) {
        SqlNodeList statements;
        try {
            statements = SqlParser.create(sql, SqlParser.config().withCaseSensitive(false)).parseStmtList();
        } catch (SqlParseException e) {
            throw new QueryRefusedException("Not one SELECT query: " + firstLine(e.getMessage()));
        }
        if (statements.size() != 1) {
            throw new QueryRefusedException("Exactly one statement is accepted; found " + statements.size() + ".");
        }
        SqlNode statement = statements.get(0);
        boolean explain = statement.getKind() == SqlKind.EXPLAIN;
        SqlNode query = explain ? ((org.apache.calcite.sql.SqlExplain) statement).getExplicandum() : statement;
        if (!query.isA(SqlKind.QUERY)) {
            throw new QueryRefusedException("Only a SELECT query is accepted; found " + query.getKind() + ".");
        }
        return explain;
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
