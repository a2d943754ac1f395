package io.polystore.surrealdb.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The token of one sign-in, shared by all callers and renewed shortly before it expires, so that a request never
 * carries a token about to lapse. A lock rather than {@code synchronized}, so that virtual threads waiting for a
 * sign-in do not pin their carriers.
 */
final class BearerToken {

    /** When a token carries no readable expiry, it is renewed after this long. */
    static final Duration FALLBACK_LIFETIME = Duration.ofMinutes(10);
    private static final Pattern EXPIRY_CLAIM = Pattern.compile("\"exp\"\\s*:\\s*([0-9]+)");

    private final Supplier<String> signIn;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile String token;
    private volatile Instant renewAt = Instant.MIN;

    BearerToken(Supplier<String> signIn, Clock clock) {
        this.signIn = signIn;
        this.clock = clock;
    }

    /** A token valid for a while yet: the current one, or a new one from a fresh sign-in. */
    String current() {
        String current = token;
        if (current != null && clock.instant().isBefore(renewAt)) {
            return current;
        }
        lock.lock();
        try {
            if (token == null || !clock.instant().isBefore(renewAt)) {
                Instant signedInAt = clock.instant();
                String fresh = signIn.get();
                renewAt = renewalTime(fresh, signedInAt);
                token = fresh;
            }
            return token;
        } finally {
            lock.unlock();
        }
    }

    /** Drops {@code refused} so that the next call signs in again; a newer token obtained meanwhile is kept. */
    void invalidate(String refused) {
        lock.lock();
        try {
            if (refused != null && refused.equals(token)) {
                token = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** A tenth of the token's lifetime before it expires (six minutes for SurrealDB's one-hour root tokens). */
    static Instant renewalTime(String jwt, Instant signedInAt) {
        Instant expiry = expiry(jwt);
        if (expiry == null) {
            return signedInAt.plus(FALLBACK_LIFETIME);
        }
        Duration lifetime = Duration.between(signedInAt, expiry);
        if (lifetime.isNegative() || lifetime.isZero()) {
            return signedInAt;
        }
        return expiry.minus(lifetime.dividedBy(10));
    }

    /** The {@code exp} claim of a JWT, or null when the token is not a JWT with one. */
    static Instant expiry(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            Matcher matcher = EXPIRY_CLAIM.matcher(claims);
            return matcher.find() ? Instant.ofEpochSecond(Long.parseLong(matcher.group(1))) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
