package io.polystore.gateway.account;

import io.polystore.gateway.Role;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Set;

/**
 * A person who signs in at the gateway.
 *
 * @param username    what they sign in with, and the {@code sub} of their tokens
 * @param homeRegion  where their orders and personal data are kept, and the {@code region} claim of their tokens:
 *                    the region of the gateway they signed up at
 * @param roles       the roles their next token carries
 * @param lockedUntil while failed sign-ins keep the account locked, until when; null when it is not locked
 */
public record Account(String username, String homeRegion, Set<Role> roles, Instant createdAt, Instant updatedAt,
                      @Nullable Instant lockedUntil) {

    public Account {
        roles = Set.copyOf(roles);
    }
}
