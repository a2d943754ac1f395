package io.polystore.catalog.product;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.deser.jdk.NumberDeserializers;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;

import java.math.BigDecimal;

/**
 * @param amount   not negative, at most 4 decimals; written without a minus sign, so {@code -0} is refused too
 * @param currency an ISO 4217 code such as {@code EUR}
 */
public record PriceRequest(
        @NotNull @DecimalMin("0") @Digits(integer = 15, fraction = 4) @JsonDeserialize(using = UnsignedAmount.class)
        BigDecimal amount,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code of 3 upper-case letters") String currency) {

    /**
     * A price is never negative, and a minus sign says the sender meant one: {@code -0} or {@code -0.00} comes from a
     * negative amount rounded, a bug in the sender's pricing that accepting it as 0 would hide (a decimal has no
     * negative zero, so after parsing the sign would be gone). Refused like any negative amount.
     */
    static final class UnsignedAmount extends StdDeserializer<BigDecimal> {

        UnsignedAmount() {
            super(BigDecimal.class);
        }

        @Override
        public BigDecimal deserialize(JsonParser parser, DeserializationContext context) {
            String text = parser.currentToken().isScalarValue() ? parser.getString() : null;
            if (text != null && text.strip().startsWith("-")) {
                throw InvalidFormatException.from(parser, "must not be negative (no minus sign, not even on zero)", "",
                        BigDecimal.class);
            }
            return NumberDeserializers.BigDecimalDeserializer.instance.deserialize(parser, context);
        }
    }
}
