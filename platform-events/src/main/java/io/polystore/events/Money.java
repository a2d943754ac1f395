package io.polystore.events;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * An amount in a currency. The amount keeps its scale exactly ({@code 10.00} stays {@code 10.00}),
 * so {@link #equals} tells {@code 10.0} from {@code 10.00}; compare amounts with {@link BigDecimal#compareTo}.
 *
 * @param amount the amount, never a floating-point number on the wire
 * @param currency the ISO 4217 code, e.g. {@code EUR}
 */
public record Money(BigDecimal amount, String currency) {

    private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");

    public Money {
        Require.notNull(amount, "amount");
        if (!CURRENCY_CODE.matcher(Require.notNull(currency, "currency")).matches()) {
            throw new IllegalArgumentException(
                    "currency must be an ISO 4217 code of 3 upper-case letters, was '" + currency + "'");
        }
    }
}
