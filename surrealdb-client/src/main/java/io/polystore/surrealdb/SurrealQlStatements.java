package io.polystore.surrealdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SurrealQL text into its top-level statements, so that an error can quote the statement that failed.
 * It knows strings, escaped identifiers, comments and blocks, enough to find the separating semicolons; it does
 * not validate anything, the server does.
 */
final class SurrealQlStatements {

    private SurrealQlStatements() {
    }

    static List<String> split(String sql) {
        List<String> statements = new ArrayList<>();
        int depth = 0;
        int start = 0;
        int i = 0;
        int length = sql.length();
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, c);
            } else if (c == '⟨') {
                i = skipQuoted(sql, i, '⟩');
            } else if (c == '#' || (c == '-' && next(sql, i) == '-') || (c == '/' && next(sql, i) == '/')) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? length : end + 1;
            } else if (c == '/' && next(sql, i) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? length : end + 2;
            } else {
                if (c == '{' || c == '(' || c == '[') {
                    depth++;
                } else if ((c == '}' || c == ')' || c == ']') && depth > 0) {
                    depth--;
                } else if (c == ';' && depth == 0) {
                    add(statements, sql.substring(start, i));
                    start = i + 1;
                }
                i++;
            }
        }
        add(statements, sql.substring(start));
        return statements;
    }

    /** Whether statement {@code index} comes after a {@code BEGIN} that no {@code COMMIT} or {@code CANCEL} closed yet. */
    static boolean insideTransaction(List<String> statements, int index) {
        boolean open = false;
        for (int i = 0; i < Math.min(index, statements.size()); i++) {
            String keyword = firstWord(statements.get(i));
            if (keyword.equals("BEGIN")) {
                open = true;
            } else if (keyword.equals("COMMIT") || keyword.equals("CANCEL")) {
                open = false;
            }
        }
        return open;
    }

    private static String firstWord(String statement) {
        String text = withoutComments(statement).strip();
        int end = 0;
        while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
        }
        return text.substring(0, end).toUpperCase(Locale.ROOT);
    }

    private static void add(List<String> statements, String statement) {
        if (!withoutComments(statement).isBlank()) {
            statements.add(statement.strip());
        }
    }

    private static String withoutComments(String text) {
        return text.replaceAll("(?m)(--|//|#).*$", "").replaceAll("(?s)/\\*.*?\\*/", "");
    }

    private static char next(String sql, int i) {
        return i + 1 < sql.length() ? sql.charAt(i + 1) : '\0';
    }

    /** The position after the quoted text that starts at {@code open}; a backslash escapes the next character. */
    private static int skipQuoted(String sql, int open, char close) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == close) {
                return i + 1;
            } else {
                i++;
            }
        }
        return sql.length();
    }
}
