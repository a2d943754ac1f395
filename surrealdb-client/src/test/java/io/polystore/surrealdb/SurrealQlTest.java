package io.polystore.surrealdb;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SurrealQlTest {

    private static final SurrealQl LET_PRODUCT = SurrealQl.of("LET $product = type::record('product', $key);");
    private static final SurrealQl SKU_FREE = SurrealQl.throwIf(
            "count(SELECT id FROM product WHERE sku = $sku LIMIT 1) > 0", "sku-taken");
    private static final SurrealQl CREATE = SurrealQl.of("CREATE ONLY $product SET sku = $sku;");

    @Test
    void piecesComposeInOrderIntoATransactionWithTheirVariables() {
        SurrealQl query = SurrealQl.transaction(LET_PRODUCT, SKU_FREE, CREATE.with("sku", "A-1")).with("key", "p1");

        assertThat(query.text()).isEqualTo("""
                BEGIN TRANSACTION;
                LET $product = type::record('product', $key);
                IF count(SELECT id FROM product WHERE sku = $sku LIMIT 1) > 0 { THROW 'polystore:sku-taken' };
                CREATE ONLY $product SET sku = $sku;
                COMMIT TRANSACTION;""");
        assertThat(query.vars()).isEqualTo(Map.of("sku", "A-1", "key", "p1"));
        assertThat(SurrealQlStatements.split(query.text())).hasSize(5);
    }

    @Test
    void aVariableBoundTwiceMustAgree() {
        assertThat(LET_PRODUCT.with("key", "p1").then(CREATE.with("key", "p1")).vars()).containsEntry("key", "p1");
        assertThatThrownBy(() -> LET_PRODUCT.with("key", "p1").then(CREATE.with("key", "p2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$key");
    }

    @Test
    void nullIsAValueLikeAnyOther() {
        assertThat(CREATE.with("sku", null).vars()).containsEntry("sku", null);
    }

    @Test
    void thrownCodesAreConstantsOfAPlainShape() {
        assertThatThrownBy(() -> SurrealQl.throwIf("true", "x' }; DELETE product; {'"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCodeOfAThrowIsReadBackFromTheFailure() {
        assertThat(failure("An error occurred: polystore:version-conflict", "Thrown").thrownCode()).hasValue("version-conflict");
        assertThat(failure("An error occurred: boom", "Thrown").thrownCode()).isEmpty();
        assertThat(failure("polystore:stale", "Internal").thrownCode()).isEmpty();
    }

    private static SurrealStatementException failure(String message, String kind) {
        return new SurrealStatementException(new StatementResult.Err(0, "1µs", message, kind, null), null);
    }
}
