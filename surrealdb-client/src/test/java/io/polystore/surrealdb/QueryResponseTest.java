package io.polystore.surrealdb;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryResponseTest {

    private static final String NOT_EXECUTED = "The query was not executed due to a failed transaction";
    private static final String CANCELLED = "The query was not executed due to a cancelled transaction";

    @Test
    void givesResultsAndRowsPerStatement() {
        QueryResponse response = new QueryResponse("CREATE a:1; RETURN 2; SELECT * FROM nothing", List.of(
                ok(0, List.of(Map.of("id", RecordId.of("a", 1)))),
                ok(1, 2L),
                ok(2, List.of())));

        assertThat(response.succeeded()).isTrue();
        assertThat(response.rows(0)).containsExactly(Map.of("id", RecordId.of("a", 1)));
        assertThat(response.result(1)).isEqualTo(2L);
        assertThat(response.firstRow(2)).isEmpty();
        assertThat(response.lastResult()).isEqualTo(List.of());
        assertThat(response.requireSuccess()).isSameAs(response);
    }

    @Test
    void reportsAFailedStatementWithItsTextAndKind() {
        QueryResponse response = new QueryResponse("CREATE a:1; CREATE a:1; RETURN 3", List.of(
                ok(0, List.of()),
                new StatementResult.Err(1, "1µs", "Database record `a:1` already exists", "AlreadyExists", null),
                ok(2, 3L)));

        assertThat(response.result(2)).isEqualTo(3L);
        assertThatThrownBy(() -> response.result(1))
                .isExactlyInstanceOf(SurrealStatementException.class)
                .hasMessage("Statement 2 (CREATE a:1) failed [AlreadyExists]: Database record `a:1` already exists")
                .satisfies(e -> {
                    SurrealStatementException failure = (SurrealStatementException) e;
                    assertThat(failure.index()).isEqualTo(1);
                    assertThat(failure.kind()).isEqualTo("AlreadyExists");
                    assertThat(failure.statement()).isEqualTo("CREATE a:1");
                });
        assertThatThrownBy(response::requireSuccess).isExactlyInstanceOf(SurrealStatementException.class);
    }

    @Test
    void namesTheStatementThatMadeATransactionFail() {
        // As SurrealDB answers: no entry for the COMMIT of a failed transaction.
        QueryResponse response = new QueryResponse("BEGIN; CREATE a:1; THROW 'out of stock'; CREATE a:2; COMMIT;", List.of(
                ok(0, null),
                new StatementResult.Err(1, "1µs", NOT_EXECUTED, "Query", Map.of("kind", "NotExecuted")),
                new StatementResult.Err(2, "1µs", "An error occurred: out of stock", "Thrown", null),
                new StatementResult.Err(3, "1µs", CANCELLED, "Query", Map.of("kind", "Cancelled"))));

        assertThat(response.failure()).hasValueSatisfying(err -> assertThat(err.index()).isEqualTo(2));
        for (int index : new int[]{1, 2, 3, 4}) {
            assertThatThrownBy(() -> response.result(index))
                    .isInstanceOf(SurrealTransactionException.class)
                    .hasMessage("Transaction failed: statement 3 (THROW 'out of stock') failed [Thrown]: An error occurred: out of stock");
        }
    }

    @Test
    void recognisesAFailedTransactionWhoseOnlyStatementFailed() {
        QueryResponse response = new QueryResponse("BEGIN; THROW 'x'; COMMIT", List.of(
                ok(0, null),
                new StatementResult.Err(1, "1µs", "An error occurred: x", "Thrown", null)));

        assertThatThrownBy(response::requireSuccess)
                .isInstanceOf(SurrealTransactionException.class)
                .hasMessageContaining("statement 2 (THROW 'x')");
    }

    @Test
    void tellsRetryableConflicts() {
        StatementResult.Err conflict = new StatementResult.Err(1, "1µs",
                "Failed to commit transaction due to a read or write conflict. This transaction can be retried", null, null);
        QueryResponse response = new QueryResponse("BEGIN; UPDATE a:1 SET n += 1; COMMIT", List.of(ok(0, null), conflict));

        assertThatThrownBy(response::requireSuccess)
                .isInstanceOfSatisfying(SurrealTransactionException.class, e -> assertThat(e.isRetryable()).isTrue());
    }

    @Test
    void refusesRowsFromAResultThatIsNotRows() {
        QueryResponse response = new QueryResponse("RETURN 1; RETURN [1]; RETURN NONE", List.of(
                ok(0, 1L), ok(1, List.of(1L)), ok(2, SurrealNone.NONE)));

        assertThatThrownBy(() -> response.rows(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> response.rows(1)).isInstanceOf(IllegalStateException.class);
        assertThat(response.rows(2)).isEmpty();
    }

    private static StatementResult.Ok ok(int index, Object result) {
        return new StatementResult.Ok(index, "1µs", result);
    }
}
