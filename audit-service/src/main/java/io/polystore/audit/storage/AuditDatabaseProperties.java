package io.polystore.audit.storage;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code polystore.audit.database.*}: the restricted role the service runs as. {@code spring.datasource.*} names the
 * schema owner, which only migrates the schema and provisions this role at start-up.
 *
 * @param appUsername the login role the service's connection pool uses; created if missing, granted SELECT and
 *                    INSERT on the trail and EXECUTE on the retention function, nothing else
 * @param appPassword its password, (re)set at every start-up, so rotating it is a configuration change
 */
@Validated
@ConfigurationProperties("polystore.audit.database")
public record AuditDatabaseProperties(
        @DefaultValue("audit_app") @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}",
                message = "must be a lower-case PostgreSQL identifier") String appUsername,
        @NotBlank String appPassword) {
}
