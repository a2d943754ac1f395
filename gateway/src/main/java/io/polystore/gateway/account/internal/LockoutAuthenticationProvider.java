package io.polystore.gateway.account.internal;

import io.polystore.events.AccountChanged;
import io.polystore.gateway.account.AccountProperties;
import io.polystore.gateway.account.PasswordHashes;
import io.polystore.gateway.account.internal.StoredAccount.SignInFailures;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

/**
 * Signs people in with their username and password from the account store, and locks an account after
 * {@code max-failures} wrong passwords within {@code window}, for {@code duration}. A locked account is refused before
 * its password is even checked, so that guessing stops paying; the lock and its lifting are audited. A success forgets
 * earlier failures. Unknown usernames take as long as known ones (Spring's {@link DaoAuthenticationProvider}).
 */
public final class LockoutAuthenticationProvider implements AuthenticationProvider {

    private final AccountStore store;
    private final AccountEventOutbox events;
    private final AccountProperties.Lockout lockout;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final DaoAuthenticationProvider passwords;

    public LockoutAuthenticationProvider(AccountStore store, AccountEventOutbox events, AccountProperties.Lockout lockout,
                                         PasswordEncoder encoder, TransactionTemplate transactions, Clock clock) {
        this.store = store;
        this.events = events;
        this.lockout = lockout;
        this.transactions = transactions;
        this.clock = clock;
        UserDetailsService users = username -> store.find(username)
                .map(account -> User.withUsername(account.username())
                        .password(account.passwordHash())
                        .roles(account.roles().stream().map(Enum::name).toArray(String[]::new))
                        .build())
                .orElseThrow(() -> new UsernameNotFoundException("No account"));
        this.passwords = new DaoAuthenticationProvider(users);
        this.passwords.setPasswordEncoder(encoder);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String username = authentication.getName();
        Instant now = clock.instant();
        store.find(username).map(StoredAccount::failures).filter(failures -> failures.lockedAt(now))
                .ifPresent(failures -> {
                    throw new AccountLockedException(failures.lockedUntil());
                });
        Object password = authentication.getCredentials();
        try {
            // bcrypt cannot check more than 72 bytes; no password that long was ever accepted.
            if (password == null || password.toString().getBytes(StandardCharsets.UTF_8).length > PasswordHashes.MAX_PASSWORD_BYTES) {
                throw new BadCredentialsException("Bad credentials");
            }
            Authentication signedIn = passwords.authenticate(authentication);
            store.clearFailures(username);
            return signedIn;
        } catch (BadCredentialsException wrong) {
            Instant lockedUntil = recordFailure(username);
            if (lockedUntil != null) {
                throw new AccountLockedException(lockedUntil);
            }
            throw wrong;
        }
    }

    /** Counts the failure against the account, if there is one; answers until when it is now locked, else null. */
    private Instant recordFailure(String username) {
        return transactions.execute(status -> {
            if (!store.lock(username)) {
                return null;
            }
            StoredAccount account = store.find(username).orElseThrow();
            Instant now = clock.instant();
            SignInFailures failures = account.failures().afterFailure(now, lockout.maxFailures(), lockout.window(),
                    lockout.duration());
            store.saveFailures(username, failures);
            if (!failures.lockedAt(now)) {
                return null;
            }
            events.write(new AccountChanged(AccountChanged.GATEWAY, username, AccountChanged.Change.LOCKED, null,
                    StoredAccount.names(account.roles()), now));
            return failures.lockedUntil();
        });
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
