package io.polystore.order.personaldata;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;

/**
 * {@code polystore.personal-data.*}.
 *
 * @param masterKey the master key that wraps every customer's data key: a Tink keyset in JSON, base64-encoded
 *                  (in Kubernetes from a Secret, as {@code POLYSTORE_PERSONALDATA_MASTERKEY}); or
 *                  {@value MasterKey#GENERATE_FOR_DEVELOPMENT} for a throwaway key that makes all data unreadable
 *                  after a restart
 * @param erasureLog where every erasure is logged, on storage apart from the database and its backups, so that it
 *                   is applied again at start-up after a restore; none (the default) logs nothing
 */
@Validated
@ConfigurationProperties("polystore.personal-data")
public record PersonalDataProperties(
        @NotBlank(message = "polystore.personal-data.master-key is missing: set it to the base64 of a Tink AEAD keyset in JSON (from a Kubernetes Secret, "
                + "e.g. env POLYSTORE_PERSONALDATA_MASTERKEY), or to '" + MasterKey.GENERATE_FOR_DEVELOPMENT
                + "' for a throwaway key on a developer machine")
        String masterKey,
        Path erasureLog) {
}
