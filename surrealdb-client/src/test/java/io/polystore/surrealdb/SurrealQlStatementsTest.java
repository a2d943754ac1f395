package io.polystore.surrealdb;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SurrealQlStatementsTest {

    @Test
    void splitsOnTopLevelSemicolons() {
        assertThat(SurrealQlStatements.split("CREATE a:1; SELECT * FROM a;  RETURN 1"))
                .containsExactly("CREATE a:1", "SELECT * FROM a", "RETURN 1");
    }

    @Test
    void ignoresSemicolonsInStringsIdentifiersCommentsAndBlocks() {
        String sql = """
                CREATE a SET note = 'x; y', other = "it\\"s; fine", `odd;name` = 1, b = ⟨q;⟩;
                -- a comment; with a semicolon
                IF $x { CREATE b:1; CREATE b:2; } ELSE { THROW "no;"; };
                /* block; comment */ RETURN [1, (2; 3)]; // trailing; comment
                # hash comment;
                """;

        List<String> statements = SurrealQlStatements.split(sql);

        assertThat(statements).hasSize(3);
        assertThat(statements.get(0)).startsWith("CREATE a SET note = 'x; y'").endsWith("b = ⟨q;⟩");
        assertThat(statements.get(1)).contains("IF $x").endsWith("}");
        assertThat(statements.get(2)).contains("RETURN [1, (2; 3)]");
    }

    @Test
    void knowsWhichStatementsAreInsideATransaction() {
        List<String> statements = SurrealQlStatements.split(
                "CREATE a:1; BEGIN TRANSACTION; CREATE a:2; COMMIT; CREATE a:3; begin; THROW 'x'; COMMIT");

        assertThat(SurrealQlStatements.insideTransaction(statements, 0)).isFalse();
        assertThat(SurrealQlStatements.insideTransaction(statements, 2)).isTrue();
        assertThat(SurrealQlStatements.insideTransaction(statements, 4)).isFalse();
        assertThat(SurrealQlStatements.insideTransaction(statements, 6)).isTrue();
    }
}
