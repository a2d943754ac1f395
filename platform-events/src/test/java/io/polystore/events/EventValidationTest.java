package io.polystore.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventValidationTest {

    private static final Money TEN_EUROS = new Money(new BigDecimal("10.00"), "EUR");

    @Test
    void orderLineNeedsAPositiveQuantity() {
        assertThatIllegalArgumentException().isThrownBy(() -> new OrderLine("product:keyboard", 0))
                .withMessage("quantity must be positive, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new OrderLine(" ", 1))
                .withMessage("productId must not be blank");
    }

    @Test
    void linesMustNotBeEmptyOrMissingOrHoldNull() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReserveStock(EventSamples.ORDER_ID, List.of(), EventSamples.TIME))
                .withMessage("lines must not be empty");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReserveStock(EventSamples.ORDER_ID, null, EventSamples.TIME))
                .withMessage("lines is required");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReserveStock(EventSamples.ORDER_ID, Arrays.asList((OrderLine) null),
                        EventSamples.TIME))
                .withMessage("lines must not contain null");
    }

    @Test
    void linesHoldOneLinePerProduct() {
        List<OrderLine> lines = List.of(new OrderLine("product:keyboard", 1), new OrderLine("product:keyboard", 2));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReserveStock(EventSamples.ORDER_ID, lines, EventSamples.TIME))
                .withMessage("lines must hold one line per product, product:keyboard appears twice");
    }

    @Test
    void linesAreCopiedImmutably() {
        List<OrderLine> lines = new ArrayList<>(EventSamples.LINES);
        ReserveStock command = new ReserveStock(EventSamples.ORDER_ID, lines, EventSamples.TIME);

        lines.clear();

        assertThat(command.lines()).isEqualTo(EventSamples.LINES);
        assertThat(command.lines()).isUnmodifiable();
    }

    @Test
    void moneyNeedsAnAmountAndAnIsoCurrencyCode() {
        for (String currency : List.of("eur", "EURO", "E1R", "")) {
            assertThatIllegalArgumentException().isThrownBy(() -> new Money(BigDecimal.ONE, currency))
                    .withMessage("currency must be an ISO 4217 code of 3 upper-case letters, was '" + currency + "'");
        }
        assertThatIllegalArgumentException().isThrownBy(() -> new Money(BigDecimal.ONE, null))
                .withMessage("currency is required");
        assertThatIllegalArgumentException().isThrownBy(() -> new Money(null, "EUR"))
                .withMessage("amount is required");
    }

    @Test
    void moneyKeepsItsScale() {
        assertThat(new Money(new BigDecimal("10.00"), "EUR").amount().scale()).isEqualTo(2);
        assertThat(new Money(new BigDecimal("10.00"), "EUR")).isNotEqualTo(new Money(new BigDecimal("10.0"), "EUR"));
    }

    @Test
    void pricesAndTotalsAreNotNegative() {
        Money minusOne = new Money(new BigDecimal("-1.00"), "EUR");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ProductChanged("product:keyboard", "KB-001", "Keyboard", minusOne, true, 1,
                        EventSamples.TIME))
                .withMessage("price must not be negative, was -1.00");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new OrderPlaced(EventSamples.ORDER_ID, "customer-7", EventSamples.LINES, minusOne,
                        EventSamples.TIME))
                .withMessage("total must not be negative, was -1.00");
    }

    @Test
    void requiredFieldsAreNamed() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new OrderPlaced(null, "customer-7", EventSamples.LINES, TEN_EUROS, EventSamples.TIME))
                .withMessage("orderId is required");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new OrderPlaced(EventSamples.ORDER_ID, "", EventSamples.LINES, TEN_EUROS,
                        EventSamples.TIME))
                .withMessage("customerId must not be blank");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new StockRejected(EventSamples.ORDER_ID, List.of()))
                .withMessage("rejections must not be empty");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new StockRejected.Rejection("product:keyboard", 2, -1,
                        StockRejected.Reason.INSUFFICIENT_STOCK))
                .withMessage("available must not be negative, was -1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PersonalDataAccessed("support-3", "customer-7", null, "support",
                        EventSamples.TIME))
                .withMessage("action is required");
    }

    @Test
    void accessDecidedNeedsAnHttpStatusAndAllowsNoClientId() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AccessDecided(AccessDecided.ANONYMOUS, null, "GET", "orders", 42,
                        AccessDecided.Decision.DENY, 10, "203.0.113.9", EventSamples.TIME))
                .withMessage("status must be an HTTP status code, was 42");
        assertThat(new AccessDecided(AccessDecided.ANONYMOUS, null, "GET", "orders", 401,
                AccessDecided.Decision.DENY, 10, "203.0.113.9", EventSamples.TIME).aggregateId())
                .isEqualTo("anonymous");
    }

    @Test
    void accountChangedNamesARoleExactlyWhenOneIsGrantedOrRevoked() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AccountChanged("admin-1", "customer-7", AccountChanged.Change.ROLE_GRANTED, null,
                        List.of("CUSTOMER"), EventSamples.TIME))
                .withMessageContaining("role is required for ROLE_GRANTED");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AccountChanged(AccountChanged.GATEWAY, "customer-7", AccountChanged.Change.LOCKED,
                        "CUSTOMER", List.of("CUSTOMER"), EventSamples.TIME))
                .withMessageContaining("and only for them");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AccountChanged("admin-1", " ", AccountChanged.Change.UNLOCKED, null, List.of(),
                        EventSamples.TIME))
                .withMessage("account must not be blank");
        AccountChanged revokedAll = new AccountChanged("admin-1", "customer-7", AccountChanged.Change.ROLE_REVOKED,
                "CUSTOMER", List.of(), EventSamples.TIME);
        assertThat(revokedAll.roles()).isEmpty();
        assertThat(revokedAll.aggregateId()).isEqualTo("customer-7");
    }

    @Test
    void catalogStatesAreKeyedByTableAndRecordSoACompactedTopicKeepsEachRecordsLatest() {
        assertThat(new ProductState("keyboard", 1, false, "KB-001", "Keyboard", "", TEN_EUROS, Map.of(), List.of(),
                true, EventSamples.TIME, EventSamples.TIME).aggregateId()).isEqualTo("product:keyboard");
        assertThat(new CategoryState("input", 1, false, "Input", null, List.of(), EventSamples.TIME,
                EventSamples.TIME).aggregateId()).isEqualTo("category:input");
        assertThat(new RelatedProductsState("mouse", "keyboard", 1, true, EventSamples.TIME).aggregateId())
                .isEqualTo(new RelatedProductsState("keyboard", "mouse", 2, false, EventSamples.TIME).aggregateId())
                .isEqualTo("related_to:keyboard:mouse");
    }

    @Test
    void catalogStatesHaveAPositiveVersionAndConsistentFields() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ProductState("keyboard", 0, false, "KB-001", "Keyboard", "", TEN_EUROS, Map.of(),
                        List.of(), true, EventSamples.TIME, EventSamples.TIME))
                .withMessage("version must be positive, was 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ProductState("keyboard", 1, false, "KB-001", "Keyboard", "", TEN_EUROS, Map.of(),
                        List.of(" "), true, EventSamples.TIME, EventSamples.TIME))
                .withMessage("categoryIds must not contain blank values");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CategoryState("keyboards", 1, false, "Keyboards", "input", List.of("peripherals"),
                        EventSamples.TIME, EventSamples.TIME))
                .withMessage("ancestorIds must end with parentId (and be empty for a root)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RelatedProductsState("keyboard", "keyboard", 1, true, EventSamples.TIME))
                .withMessage("a product cannot be related to itself (keyboard)");
    }

    @Test
    void productAttributesKeepNullValuesAndCannotBeChangedAfterwards() {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("discontinued", null);
        ProductState state = new ProductState("keyboard", 1, false, "KB-001", "Keyboard", "", TEN_EUROS, attributes,
                List.of(), true, EventSamples.TIME, EventSamples.TIME);

        attributes.put("colour", "red");

        assertThat(state.attributes()).containsOnlyKeys("discontinued").containsEntry("discontinued", null)
                .isUnmodifiable();
    }

    @Test
    void anOrderHistoryRecordTakesOnlyADigestAsItsCustomerKey() {
        List<OrderHistoryRecorded.Line> lines = List.of(new OrderHistoryRecorded.Line("keyboard", "KB-001", "Keyboard",
                1, new BigDecimal("10.00"), new BigDecimal("10.00")));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new OrderHistoryRecorded(EventSamples.ORDER_ID, "region-1", "alice", 0, "PENDING",
                        null, TEN_EUROS, lines, EventSamples.TIME, EventSamples.TIME))
                .withMessage("customerKey must be an HMAC-SHA256 digest in 64 lower-case hex digits");
    }
}
