package io.polystore.gateway.account.internal;

import io.polystore.gateway.account.internal.StoredAccount.SignInFailures;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The lockout rule: five failures within 15 minutes lock for 15 minutes. */
class SignInFailuresTest {

    private static final Instant T = Instant.parse("2026-05-01T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(15);
    private static final Duration LOCK = Duration.ofMinutes(15);

    @Test
    void theFifthFailureWithinTheWindowLocks() {
        SignInFailures failures = SignInFailures.NONE;
        for (int minute = 0; minute < 4; minute++) {
            failures = fail(failures, T.plus(Duration.ofMinutes(minute)));
            assertThat(failures.lockedAt(T.plus(Duration.ofMinutes(minute)))).isFalse();
        }
        failures = fail(failures, T.plus(Duration.ofMinutes(10)));

        assertThat(failures.lockedAt(T.plus(Duration.ofMinutes(10)))).isTrue();
        assertThat(failures.lockedUntil()).isEqualTo(T.plus(Duration.ofMinutes(25)));
        assertThat(failures.count()).isZero();
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        SignInFailures failures = SignInFailures.NONE;
        for (int i = 0; i < 4; i++) {
            failures = fail(failures, T.plus(Duration.ofMinutes(i)));
        }
        failures = fail(failures, T.plus(Duration.ofMinutes(16)));

        assertThat(failures.lockedAt(T.plus(Duration.ofMinutes(16)))).isFalse();
        assertThat(failures.count()).isEqualTo(1);
        assertThat(failures.since()).isEqualTo(T.plus(Duration.ofMinutes(16)));
    }

    @Test
    void aLockEndsByItself() {
        SignInFailures locked = new SignInFailures(0, null, T.plus(LOCK));

        assertThat(locked.lockedAt(T.plus(LOCK).minusSeconds(1))).isTrue();
        assertThat(locked.lockedAt(T.plus(LOCK))).isFalse();
    }

    private static SignInFailures fail(SignInFailures failures, Instant at) {
        return failures.afterFailure(at, 5, WINDOW, LOCK);
    }
}
