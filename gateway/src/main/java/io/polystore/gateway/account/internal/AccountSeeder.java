package io.polystore.gateway.account.internal;

import io.polystore.events.AccountChanged;
import io.polystore.gateway.Role;
import io.polystore.gateway.account.AccountProperties;
import io.polystore.gateway.account.PasswordHashes;
import io.polystore.servicedefaults.problem.FieldProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * At start-up, before the gateway takes requests, creates the accounts of {@code polystore.accounts.seed} and the
 * initial administrator, homed in this gateway's region, when no account of their name exists. An existing account is
 * left as it is: after the first start the database, not the configuration, says who has which role and password.
 */
public final class AccountSeeder implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(AccountSeeder.class);

    private final AccountProperties properties;
    private final AccountStore store;
    private final String region;
    private final AccountEventOutbox events;
    private final AccountRules rules;
    private final TransactionTemplate transactions;
    private final Clock clock;

    /** @param region this gateway's region ({@code polystore.region.name}) */
    public AccountSeeder(AccountProperties properties, AccountStore store, String region, AccountEventOutbox events,
                         AccountRules rules, TransactionTemplate transactions, Clock clock) {
        this.properties = properties;
        this.store = store;
        this.region = region;
        this.events = events;
        this.rules = rules;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        new TreeMap<>(properties.seed()).forEach((username, account) ->
                seed("polystore.accounts.seed." + username, username, account.password(), account.roles()));
        AccountProperties.InitialAdmin admin = properties.initialAdmin();
        if (admin != null) {
            seed("polystore.accounts.initial-admin", admin.username(), admin.password(), Set.of(Role.ADMIN));
        }
        if (Boolean.TRUE.equals(transactions.execute(status -> store.lockAdministrators().isEmpty()))) {
            log.warn("No account holds ADMIN: nobody can grant roles. Set polystore.accounts.initial-admin.username "
                    + "and .password (a bcrypt hash) to create the first administrator.");
        }
    }

    private void seed(String property, String username, String passwordHash, Set<Role> roles) {
        List<FieldProblem> problems = rules.checkUsername(username);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(property + ": the username " + problems.getFirst().reason());
        }
        String hash = PasswordHashes.requireStrong(property + ".password", passwordHash);
        boolean created = Boolean.TRUE.equals(transactions.execute(status -> {
            Instant now = clock.instant();
            if (!store.insert(username, hash, region, roles, now)) {
                return false;
            }
            events.write(new AccountChanged(AccountChanged.GATEWAY, username, AccountChanged.Change.SEEDED, null,
                    StoredAccount.names(roles), now));
            return true;
        }));
        if (created) {
            log.info("Created account {} with {} from {}", username, StoredAccount.names(roles), property);
        }
    }
}
