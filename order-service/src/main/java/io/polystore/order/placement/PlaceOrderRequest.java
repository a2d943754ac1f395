package io.polystore.order.placement;

import io.polystore.order.personaldata.PersonalData;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * What a customer orders. Prices are not part of it: they come from the catalog's price snapshot, and
 * {@code currency} only states the currency the customer expects to pay in.
 */
public record PlaceOrderRequest(
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code of 3 upper-case letters") String currency,
        @NotEmpty @Valid List<@NotNull Line> lines,
        @NotNull @Valid Customer customer,
        @NotNull @Valid Address shippingAddress) {

    @Schema(name = "OrderLineRequest")
    public record Line(
            @NotBlank @Size(max = 200) String productId,
            @NotNull @Positive @Max(10_000) Integer quantity) {
    }

    @Schema(name = "CustomerRequest")
    public record Customer(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Email @Size(max = 254) String email,
            @NotBlank @Pattern(regexp = "\\+?[0-9 ()/-]{5,30}", message = "must be a phone number") String phone) {
    }

    @Schema(name = "ShippingAddressRequest")
    public record Address(
            @NotBlank @Size(max = 200) String line1,
            @Size(max = 200) @Nullable String line2,
            @NotBlank @Size(max = 20) String postalCode,
            @NotBlank @Size(max = 100) String city,
            @NotNull @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166 code of 2 upper-case letters") String country) {
    }

    PersonalData personalData() {
        return new PersonalData(customer.name(), customer.email(), customer.phone(), new PersonalData.Address(
                shippingAddress.line1(), shippingAddress.line2(), shippingAddress.postalCode(), shippingAddress.city(),
                shippingAddress.country()));
    }
}
