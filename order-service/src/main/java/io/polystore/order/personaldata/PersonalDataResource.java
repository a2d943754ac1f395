package io.polystore.order.personaldata;

import io.polystore.events.PersonalDataAccessed;
import io.polystore.order.residency.HomeRegionOnly;
import io.polystore.servicedefaults.outbox.OutboxWriter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.Map;

@RestController
@Tag(name = "Personal data", description = "Erasure of a customer's personal data and master key rotation")
class PersonalDataResource {

    private final PersonalDataVault vault;
    private final OutboxWriter outbox;
    private final TransactionTemplate transaction;
    private final Clock clock;

    PersonalDataResource(PersonalDataVault vault, OutboxWriter outbox, TransactionTemplate transaction, Clock clock) {
        this.vault = vault;
        this.outbox = outbox;
        this.transaction = transaction;
        this.clock = clock;
    }

    @DeleteMapping("/customers/{customerId}/personal-data")
    @PreAuthorize("hasRole('ADMIN') or (hasRole('CUSTOMER') and #customerId == authentication.name)")
    @HomeRegionOnly(customerVariable = "customerId")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "erasePersonalData", summary = "Erase a customer's personal data",
            description = "Destroys the customer's data key, so their name, e-mail, phone and addresses in every order "
                    + "can never be decrypted again, in the database and in its backups (crypto-shredding). Orders stay, "
                    + "without personal data. For the customer themselves and administrators; repeating it is harmless.")
    ResponseEntity<Void> erase(@PathVariable String customerId, Authentication authentication) {
        transaction.executeWithoutResult(status -> {
            vault.erase(customerId);
            outbox.write(new PersonalDataAccessed(authentication.getName(), customerId, PersonalDataAccessed.Action.ERASE,
                    "erasure-request", clock.instant()));
        });
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/personal-data/keys/rewrap")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(operationId = "rewrapDataKeys", summary = "Re-wrap customer data keys under the primary master key",
            description = "Step two of a master key rotation: afterwards the old master keys can be removed.")
    Map<String, Integer> rewrap() {
        return Map.of("rewrapped", vault.rewrapAll());
    }
}
