package io.polystore.catalog.product;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.math.BigDecimal;

/**
 * @param amount   not negative, at most 4 decimals
 * @param currency an ISO 4217 code such as {@code EUR}
 */
public record PriceRequest(
        @NotNull @DecimalMin("0") @Digits(integer = 15, fraction = 4) BigDecimal amount,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code of 3 upper-case letters") String currency) {
}
