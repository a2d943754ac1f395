package io.polystore.servicedefaults.openapi;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code polystore.api.*}: what a service's OpenAPI document says about the API as a whole.
 *
 * @param version           the API's version in {@code info.version}
 * @param licenseName       the licence the API is offered under, in {@code info.license}
 * @param licenseIdentifier its SPDX identifier
 */
@Validated
@ConfigurationProperties("polystore.api")
public record ApiDocsProperties(@NotBlank @DefaultValue("v1") String version,
                                @NotBlank @DefaultValue("Apache License 2.0") String licenseName,
                                @NotBlank @DefaultValue("Apache-2.0") String licenseIdentifier) {
}
