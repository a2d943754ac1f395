package io.polystore.gateway.account;

import io.polystore.gateway.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code polystore.accounts}: the people who sign in at the gateway live in its database; configuration only seeds
 * it, and sets the rules for passwords and failed sign-ins.
 *
 * @param initialAdmin      the first administrator, created when no account of that name exists (production: the
 *                          password hash from a secret)
 * @param seed              accounts created at start-up when missing, by username (the demo users); never changed
 *                          afterwards from here
 * @param lockout           when repeated failed sign-ins lock an account
 * @param passwordMinLength the shortest password people may choose
 */
@Validated
@ConfigurationProperties("polystore.accounts")
public record AccountProperties(
        @Nullable @Valid InitialAdmin initialAdmin,
        @DefaultValue Map<String, @Valid SeedAccount> seed,
        @DefaultValue @Valid Lockout lockout,
        @DefaultValue("12") @Min(8) @Max(64) int passwordMinLength) {

    public AccountProperties {
        // Both set empty, as an environment without a first administrator does (docker-compose.yml): none.
        if (initialAdmin != null && isBlank(initialAdmin.username()) && isBlank(initialAdmin.password())) {
            initialAdmin = null;
        }
    }

    private static boolean isBlank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    /**
     * @param username the administrator's username
     * @param password the password's strong hash with its id, {@code {bcrypt}$2a$12$...} (see {@link PasswordHashes})
     */
    public record InitialAdmin(@NotBlank String username, @NotBlank String password) {
    }

    /**
     * @param password the password's strong hash with its id
     * @param roles    the account's roles when it is created
     */
    public record SeedAccount(@NotBlank String password, @NotEmpty Set<Role> roles) {
    }

    /**
     * @param maxFailures failed sign-ins within {@code window} that lock the account
     * @param window      how far back failed sign-ins count
     * @param duration    how long the account then stays locked, unless an administrator unlocks it sooner
     */
    public record Lockout(
            @DefaultValue("5") @Min(1) int maxFailures,
            @DefaultValue("15m") @NotNull Duration window,
            @DefaultValue("15m") @NotNull Duration duration) {
    }
}
