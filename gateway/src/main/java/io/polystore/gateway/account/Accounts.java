package io.polystore.gateway.account;

import io.polystore.events.AccessDecided;
import io.polystore.events.AccountChanged;
import io.polystore.gateway.Role;
import io.polystore.gateway.account.internal.AccountEventOutbox;
import io.polystore.gateway.account.internal.AccountRules;
import io.polystore.gateway.account.internal.AccountStore;
import io.polystore.gateway.account.internal.StoredAccount;
import io.polystore.servicedefaults.problem.FieldProblem;
import io.polystore.servicedefaults.problem.InvalidInputException;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The people who sign in at the gateway: self-registration of customers, their own account, and what administrators
 * do with accounts (list, grant and revoke roles, unlock). Every change is committed together with its
 * {@link AccountChanged} audit event. A new account is homed in this gateway's region.
 */
public class Accounts {

    private static final Set<String> ALWAYS_RESERVED = Set.of(AccessDecided.ANONYMOUS, AccountChanged.GATEWAY);

    private final AccountStore store;
    private final String region;
    private final AccountEventOutbox events;
    private final AccountRules rules;
    private final PasswordEncoder passwords;
    private final List<ReservedUsernames> reserved;
    private final Function<String, Optional<Duration>> registrationWait;
    private final TransactionTemplate transactions;
    private final Clock clock;

    /**
     * @param region           this gateway's region ({@code polystore.region.name}), where new accounts are homed
     * @param registrationWait for a client address, how long until it may create another account; empty: now
     */
    Accounts(AccountStore store, String region, AccountEventOutbox events, AccountRules rules,
             PasswordEncoder passwords, List<ReservedUsernames> reserved,
             Function<String, Optional<Duration>> registrationWait,
             TransactionTemplate transactions, Clock clock) {
        this.store = store;
        this.region = region;
        this.events = events;
        this.rules = rules;
        this.passwords = passwords;
        this.reserved = List.copyOf(reserved);
        this.registrationWait = registrationWait;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * A customer signs up: a new account holding CUSTOMER, homed in this gateway's region. The gateway knows no other
     * region (only its own name), so nobody can choose another: their orders and personal data are kept where they
     * signed up.
     *
     * @throws TooManyRegistrationsException when {@code clientAddress} created too many accounts lately
     * @throws InvalidInputException          naming every rule the username or password breaks
     * @throws AccountException.Exists        when the username is taken
     */
    public Account register(String username, String password, String clientAddress) {
        registrationWait.apply(clientAddress).ifPresent(wait -> {
            throw new TooManyRegistrationsException(wait);
        });
        List<FieldProblem> problems = new ArrayList<>(rules.checkUsername(username));
        if (problems.isEmpty() && isReserved(username)) {
            problems.add(new FieldProblem(AccountRules.USERNAME, "is reserved"));
        }
        problems.addAll(rules.checkPassword(password, username));
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        // Hashed before the transaction: bcrypt takes a quarter of a second, no row should wait for it.
        String hash = passwords.encode(password);
        return transactions.execute(status -> {
            Instant now = clock.instant();
            if (!store.insert(username, hash, region, Set.of(Role.CUSTOMER), now)) {
                throw new AccountException.Exists(username);
            }
            events.write(new AccountChanged(username, username, AccountChanged.Change.REGISTERED, null,
                    List.of(Role.CUSTOMER.name()), now));
            return require(username).toAccount(now);
        });
    }

    public Optional<Account> find(String username) {
        Instant now = clock.instant();
        return store.find(username).map(account -> account.toAccount(now));
    }

    /** Up to {@code limit} accounts after {@code after} in username order, only those holding {@code role} if given. */
    public List<Account> list(@Nullable Role role, @Nullable String after, int limit) {
        Instant now = clock.instant();
        return store.list(role, after, limit).stream().map(account -> account.toAccount(now)).toList();
    }

    /** @throws AccountException.NotFound when there is no such account */
    public Account grant(String actor, String username, Role role) {
        return transactions.execute(status -> {
            Instant now = clock.instant();
            requireLocked(username);
            if (store.addRole(username, role, now)) {
                events.write(changed(actor, username, AccountChanged.Change.ROLE_GRANTED, role, now));
            }
            return require(username).toAccount(now);
        });
    }

    /**
     * @throws AccountException.NotFound          when there is no such account
     * @throws AccountException.LastAdministrator when it would leave no administrator
     */
    public Account revoke(String actor, String username, Role role) {
        return transactions.execute(status -> {
            Instant now = clock.instant();
            if (role == Role.ADMIN) {
                // Locks every administrator's role row: two administrators cannot revoke each other at once.
                List<String> administrators = store.lockAdministrators();
                if (administrators.equals(List.of(username))) {
                    throw new AccountException.LastAdministrator(username);
                }
            }
            requireLocked(username);
            if (store.removeRole(username, role, now)) {
                events.write(changed(actor, username, AccountChanged.Change.ROLE_REVOKED, role, now));
            }
            return require(username).toAccount(now);
        });
    }

    /** Lifts a lock and forgets failed sign-ins. @throws AccountException.NotFound when there is no such account */
    public Account unlock(String actor, String username) {
        return transactions.execute(status -> {
            Instant now = clock.instant();
            requireLocked(username);
            StoredAccount account = require(username);
            store.clearFailures(username);
            if (account.failures().lockedAt(now)) {
                events.write(changed(actor, username, AccountChanged.Change.UNLOCKED, null, now));
            }
            return require(username).toAccount(now);
        });
    }

    private AccountChanged changed(String actor, String username, AccountChanged.Change change, @Nullable Role role,
                                   Instant now) {
        return new AccountChanged(actor, username, change, role == null ? null : role.name(),
                StoredAccount.names(require(username).roles()), now);
    }

    private boolean isReserved(String username) {
        return ALWAYS_RESERVED.contains(username) || reserved.stream().anyMatch(names -> names.isReserved(username));
    }

    private void requireLocked(String username) {
        if (!store.lock(username)) {
            throw new AccountException.NotFound(username);
        }
    }

    private StoredAccount require(String username) {
        return store.find(username).orElseThrow(() -> new AccountException.NotFound(username));
    }
}
