package io.polystore.order.personaldata;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** What identifies a customer: stored only sealed with the customer's data key. */
public record PersonalData(String name, String email, String phone, Address shippingAddress) {

    /** @param line2 optional */
    @Schema(name = "ShippingAddress")
    public record Address(String line1, @Nullable String line2, String postalCode, String city, String country) {
    }

    /**
     * A shape that helps to recognise the data without disclosing it: initials, the mail domain, the phone's last
     * two digits, the city and the country.
     */
    public PersonalData masked() {
        return new PersonalData(maskKeepingFirst(name), maskEmail(email), maskPhone(phone),
                new Address("***", shippingAddress.line2() == null ? null : "***", "***", shippingAddress.city(),
                        shippingAddress.country()));
    }

    private static String maskKeepingFirst(String value) {
        return value.isEmpty() ? "***" : value.substring(0, 1) + "***";
    }

    private static String maskEmail(String email) {
        int at = email.lastIndexOf('@');
        return at <= 0 ? "***" : email.charAt(0) + "***" + email.substring(at);
    }

    private static String maskPhone(String phone) {
        String digits = phone.replaceAll("\\D", "");
        return digits.length() < 4 ? "***" : "***" + digits.substring(digits.length() - 2);
    }
}
