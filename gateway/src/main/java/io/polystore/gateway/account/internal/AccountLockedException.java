package io.polystore.gateway.account.internal;

import org.springframework.security.authentication.LockedException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A sign-in refused because failed sign-ins locked the account; its message is what the sign-in page shows. */
public final class AccountLockedException extends LockedException {

    private static final DateTimeFormatter UTC_MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Instant lockedUntil;

    public AccountLockedException(Instant lockedUntil) {
        super("Too many failed sign-ins: this account is locked until " + UTC_MINUTES.format(lockedUntil.plusSeconds(59))
                + ". Try again then, or ask an administrator to unlock it.");
        this.lockedUntil = lockedUntil;
    }

    public Instant lockedUntil() {
        return lockedUntil;
    }
}
