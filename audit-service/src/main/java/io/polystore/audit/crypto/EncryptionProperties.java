package io.polystore.audit.crypto;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code polystore.audit.encryption.*}: Tink keysets in Tink's JSON format (see the README for how to make them).
 *
 * @param keyset      AEAD keyset (AES256-GCM) that encrypts the personal data of each record; rotate by adding a
 *                    new primary key and keeping the old ones, which still decrypt older records
 * @param indexKeyset PRF keyset (HMAC-SHA256) for the blind indexes that make actor and subject searchable;
 *                    after rotation, searches try every key in the set
 */
@Validated
@ConfigurationProperties("polystore.audit.encryption")
public record EncryptionProperties(@NotBlank String keyset, @NotBlank String indexKeyset) {
}
