package io.polystore.servicedefaults.web;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code polystore.web.*}: limits every service's HTTP API applies.
 *
 * @param maxRequestBody        the largest request body accepted; larger ones get 413
 * @param maxConcurrentRequests requests handled at once; more get 503 with {@code Retry-After} at once
 */
@Validated
@ConfigurationProperties("polystore.web")
public record WebProperties(@NotNull @DefaultValue("1MB") DataSize maxRequestBody,
                            @DefaultValue("512") @Min(1) int maxConcurrentRequests) {

    public WebProperties {
        if (maxRequestBody != null && maxRequestBody.toBytes() < 1) {
            throw new IllegalArgumentException("polystore.web.max-request-body must be at least 1 byte, was " + maxRequestBody);
        }
    }
}
