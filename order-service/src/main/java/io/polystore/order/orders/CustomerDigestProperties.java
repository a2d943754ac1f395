package io.polystore.order.orders;

import io.polystore.events.CustomerDigest;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.util.Base64;

/**
 * {@code polystore.orders.customer-digest-key}: the key of the customer digest in the masked order history records
 * ({@link CustomerDigest}), which the other regions' replicas find a customer's orders by.
 *
 * @param customerDigestKey the base64 of at least {@value CustomerDigest#MIN_KEY_BYTES} random bytes, the same in
 *                          every region (in Kubernetes from a Secret, as {@code POLYSTORE_ORDERS_CUSTOMERDIGESTKEY});
 *                          {@code openssl rand -base64 32} makes one
 */
@Validated
@ConfigurationProperties("polystore.orders")
public record CustomerDigestProperties(
        @NotBlank(message = "polystore.orders.customer-digest-key is missing: set it to the base64 of at least "
                + CustomerDigest.MIN_KEY_BYTES + " random bytes, the same in every region (from a Kubernetes Secret, "
                + "e.g. env POLYSTORE_ORDERS_CUSTOMERDIGESTKEY; openssl rand -base64 32 makes one)")
        String customerDigestKey) {

    /**
     * The digest under the configured key.
     *
     * @throws IllegalArgumentException naming the property (never its value) when it is not base64 or too short
     */
    public CustomerDigest digest() {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(customerDigestKey.strip());
        } catch (IllegalArgumentException e) {
            // The decoder's reason is in the message; the cause would add nothing but a second, nameless message.
            throw new IllegalArgumentException("polystore.orders.customer-digest-key is not base64: " + e.getMessage());
        }
        if (key.length < CustomerDigest.MIN_KEY_BYTES) {
            throw new IllegalArgumentException("polystore.orders.customer-digest-key is " + key.length
                    + " bytes long: it must be the base64 of at least " + CustomerDigest.MIN_KEY_BYTES
                    + " random bytes (openssl rand -base64 32)");
        }
        return new CustomerDigest(key);
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "CustomerDigestProperties[customerDigestKey=(hidden)]";
    }
}
