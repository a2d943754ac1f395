package io.polystore.gateway.account.internal;

import io.polystore.gateway.Role;
import io.polystore.gateway.account.Account;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** An account row with its roles and its sign-in failures, as {@link AccountStore} reads it. */
public record StoredAccount(String username, String passwordHash, String homeRegion, Set<Role> roles, Instant createdAt,
                            Instant updatedAt, SignInFailures failures) {

    public StoredAccount {
        roles = Set.copyOf(roles);
    }

    public Account toAccount(Instant now) {
        return new Account(username, homeRegion, roles, createdAt, updatedAt,
                failures.lockedAt(now) ? failures.lockedUntil() : null);
    }

    /** The roles as a sorted list of names, as events and tokens carry them. */
    public static List<String> names(Set<Role> roles) {
        return roles.stream().map(Role::name).sorted().toList();
    }

    /** The failed sign-ins counted so far; an account is locked while {@code lockedUntil} is in the future. */
    public record SignInFailures(int count, @Nullable Instant since, @Nullable Instant lockedUntil) {

        public static final SignInFailures NONE = new SignInFailures(0, null, null);

        public boolean lockedAt(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }

        /**
         * After one more failure at {@code now}: failures older than {@code window} are forgotten, and the one that
         * reaches {@code maxFailures} locks the account for {@code duration} and starts the count again.
         */
        public SignInFailures afterFailure(Instant now, int maxFailures, Duration window, Duration duration) {
            boolean counting = since != null && since.plus(window).isAfter(now);
            int failures = counting ? count + 1 : 1;
            if (failures >= maxFailures) {
                return new SignInFailures(0, null, now.plus(duration));
            }
            return new SignInFailures(failures, counting ? since : now, lockedUntil);
        }
    }
}
