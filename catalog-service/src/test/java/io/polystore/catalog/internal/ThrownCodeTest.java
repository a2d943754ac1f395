package io.polystore.catalog.internal;

import io.polystore.surrealdb.StatementResult;
import io.polystore.surrealdb.SurrealStatementException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThrownCodeTest {

    @Test
    void readsTheCodeOfAThrowFromTheCatalog() {
        assertThat(ThrownCode.throwing("version-conflict")).isEqualTo("THROW 'polystore:version-conflict'");
        assertThat(ThrownCode.of(failure("An error occurred: polystore:version-conflict", "Thrown"))).hasValue("version-conflict");
    }

    @Test
    void ignoresOtherFailures() {
        assertThat(ThrownCode.of(failure("An error occurred: boom", "Thrown"))).isEmpty();
        assertThat(ThrownCode.of(failure("polystore:stale", "Internal"))).isEmpty();
    }

    private static SurrealStatementException failure(String message, String kind) {
        return new SurrealStatementException(new StatementResult.Err(0, "1µs", message, kind, null), null);
    }
}
