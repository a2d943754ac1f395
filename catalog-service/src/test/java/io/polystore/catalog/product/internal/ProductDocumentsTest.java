package io.polystore.catalog.product.internal;

import io.polystore.events.Money;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class ProductDocumentsTest {

    @Test
    void showsAmountsWithTheCurrencysMinorDigitsAgain() {
        assertThat(ProductDocuments.withMinorDigits(new BigDecimal("10"), "EUR")).hasToString("10.00");
        assertThat(ProductDocuments.withMinorDigits(new BigDecimal("10.5"), "EUR")).hasToString("10.50");
        assertThat(ProductDocuments.withMinorDigits(new BigDecimal("10.125"), "EUR")).hasToString("10.125");
        assertThat(ProductDocuments.withMinorDigits(new BigDecimal("500"), "JPY")).hasToString("500");
        assertThat(ProductDocuments.withMinorDigits(new BigDecimal("1.5"), "KWD")).hasToString("1.500");
        assertThat(ProductDocuments.withMinorDigits(new BigDecimal("1E+3"), "EUR")).hasToString("1000.00");
    }

    @Test
    void showsThePriceSurrealDbReturnedWithItsMinorDigits() {
        assertThat(new ProductDocuments.Price(new BigDecimal("24.9"), "EUR").money())
                .isEqualTo(new Money(new BigDecimal("24.90"), "EUR"));
    }
}
