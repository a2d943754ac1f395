package io.polystore.order.access;

import io.polystore.order.residency.HomeRegionOnly;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Personal data", description = "Erasure of a customer's personal data and master key rotation")
class PersonalDataExportResource {

    private final PersonalDataExport export;

    PersonalDataExportResource(PersonalDataExport export) {
        this.export = export;
    }

    @GetMapping("/customers/{customerId}/personal-data")
    @PreAuthorize("hasRole('ADMIN') or (hasRole('CUSTOMER') and #customerId == authentication.name)")
    @HomeRegionOnly(customerVariable = "customerId")
    @Operation(operationId = "exportPersonalData", summary = "Export everything held about a customer (right of access)",
            description = "One JSON document with the customer's orders and their personal data decrypted, and the "
                    + "audit trail's records about them (GDPR Art. 15 and 20). For the customer themselves and "
                    + "administrators; every export is audited. After an erasure the orders are listed without "
                    + "personal data (personalDataErased). 503 when the audit trail cannot be read.")
    CustomerDataExport export(@PathVariable String customerId, Authentication authentication) {
        String token = ((JwtAuthenticationToken) authentication).getToken().getTokenValue();
        return export.export(customerId, authentication.getName(), token);
    }
}
