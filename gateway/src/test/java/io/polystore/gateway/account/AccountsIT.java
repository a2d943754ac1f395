package io.polystore.gateway.account;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.events.AccountChanged;
import io.polystore.events.EventCodec;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.gateway.Role;
import io.polystore.gateway.account.internal.AccountEventOutbox;
import io.polystore.gateway.account.internal.AccountEventRelay;
import io.polystore.gateway.account.internal.AccountLockedException;
import io.polystore.gateway.account.internal.AccountRules;
import io.polystore.gateway.account.internal.AccountSeeder;
import io.polystore.gateway.account.internal.AccountStore;
import io.polystore.gateway.account.internal.LockoutAuthenticationProvider;
import io.polystore.gateway.support.GatewayDatabase;
import io.polystore.servicedefaults.problem.InvalidInputException;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.postgres.PostgresServer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The account rules on the gateway's real schema in PostgreSQL (a database of its own, emptied before each test):
 * every change with its audit event in the same transaction, the last administrator kept, lockout and unlock, seeding,
 * and the relay that takes the events to Kafka.
 */
class AccountsIT {

    private static final PasswordEncoder PASSWORDS = PasswordHashes.encoder();
    private static final String PASSWORD = "a sensible passphrase";
    private static final String HASH = PASSWORDS.encode(PASSWORD);
    private static final EventCodec CODEC = new EventCodec();
    private static final String REGION = "eu-west";

    private static JdbcClient jdbc;
    private static TransactionTemplate transactions;

    private final List<ProducerRecord<String, byte[]>> sent = new ArrayList<>();
    private AccountStore store;
    private AccountEventRelay relay;
    private AccountEventOutbox events;
    private Accounts accounts;

    @BeforeAll
    static void migrate() {
        DataSource dataSource = GatewayDatabase.migrated("gateway_accounts", REGION);
        jdbc = JdbcClient.create(dataSource);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @BeforeEach
    void emptyStore() {
        jdbc.sql("TRUNCATE account, account_role, account_event").update();
        store = new AccountStore(jdbc);
        relay = new AccountEventRelay(jdbc, transactions, record -> {
            sent.add(record);
            return CompletableFuture.completedFuture(null);
        }, new KafkaEventBinding(CODEC), CODEC, Duration.ofSeconds(1), new SimpleMeterRegistry());
        events = new AccountEventOutbox(jdbc, CODEC, Clock.systemUTC(), relay);
        accounts = new Accounts(store, REGION, events, new AccountRules(12), PASSWORDS,
                List.of(name -> name.equals("demo-web")), address -> Optional.empty(), transactions, Clock.systemUTC());
    }

    @Test
    void aRegistrationIsStoredWithAStrongHashAndItsEvent() {
        Account dora = accounts.register("dora", PASSWORD, "198.51.100.7");

        assertThat(dora.roles()).containsExactly(Role.CUSTOMER);
        assertThat(dora.homeRegion()).isEqualTo(REGION);
        assertThat(jdbc.sql("SELECT home_region FROM account WHERE username = 'dora'").query(String.class).single())
                .isEqualTo(REGION);
        String hash = jdbc.sql("SELECT password_hash FROM account WHERE username = 'dora'").query(String.class).single();
        assertThat(hash).startsWith("{bcrypt}$2a$12$").doesNotContain(PASSWORD);
        assertThat(pending()).singleElement().satisfies(event -> {
            assertThat(event.change()).isEqualTo(AccountChanged.Change.REGISTERED);
            assertThat(event.actor()).isEqualTo("dora");
            assertThat(event.roles()).containsExactly("CUSTOMER");
        });

        assertThatThrownBy(() -> accounts.register("dora", PASSWORD, "198.51.100.7"))
                .isInstanceOf(AccountException.Exists.class);
        assertThat(pending()).hasSize(1);
    }

    @Test
    void aRefusedRegistrationNamesEveryBrokenRuleAndWritesNothing() {
        assertThatThrownBy(() -> accounts.register("demo-web", "demo-web", "198.51.100.7"))
                .isInstanceOfSatisfying(InvalidInputException.class, invalid -> assertThat(invalid.problems())
                        .extracting(error -> error.field() + " " + error.reason())
                        .containsExactlyInAnyOrder("username is reserved", "password must be at least 12 characters",
                                "password must not contain the username"));
        assertThatThrownBy(() -> accounts.register("anonymous", PASSWORD, "198.51.100.7"))
                .isInstanceOf(InvalidInputException.class);

        assertThat(jdbc.sql("SELECT count(*) FROM account").query(Long.class).single()).isZero();
        assertThat(pending()).isEmpty();
    }

    @Test
    void grantsAndRevokesAuditingOnlyRealChanges() {
        accounts.register("erin", PASSWORD, "198.51.100.7");

        assertThat(accounts.grant("adam", "erin", Role.AUDITOR).roles()).containsExactlyInAnyOrder(Role.CUSTOMER, Role.AUDITOR);
        accounts.grant("adam", "erin", Role.AUDITOR);
        assertThat(accounts.revoke("adam", "erin", Role.CUSTOMER).roles()).containsExactly(Role.AUDITOR);
        accounts.revoke("adam", "erin", Role.CUSTOMER);

        assertThat(rolesOf("erin")).containsExactly(Role.AUDITOR);
        assertThat(pending()).extracting(AccountChanged::change, AccountChanged::actor, AccountChanged::role, AccountChanged::roles)
                .containsExactly(
                        tuple(AccountChanged.Change.REGISTERED, "erin", null, List.of("CUSTOMER")),
                        tuple(AccountChanged.Change.ROLE_GRANTED, "adam", "AUDITOR", List.of("AUDITOR", "CUSTOMER")),
                        tuple(AccountChanged.Change.ROLE_REVOKED, "adam", "CUSTOMER", List.of("AUDITOR")));
        assertThatThrownBy(() -> accounts.grant("adam", "nobody", Role.ADMIN)).isInstanceOf(AccountException.NotFound.class);
    }

    @Test
    void neverRevokesTheLastAdministrator() {
        store.insert("adam", HASH, REGION, Set.of(Role.ADMIN), Clock.systemUTC().instant());
        store.insert("ada", HASH, REGION, Set.of(Role.ADMIN), Clock.systemUTC().instant());

        accounts.revoke("adam", "ada", Role.ADMIN);

        assertThatThrownBy(() -> accounts.revoke("adam", "adam", Role.ADMIN))
                .isInstanceOf(AccountException.LastAdministrator.class);
        assertThat(rolesOf("adam")).containsExactly(Role.ADMIN);
    }

    @Test
    void repeatedWrongPasswordsLockTheAccountUntilAnAdministratorUnlocksIt() {
        accounts.register("fred", PASSWORD, "198.51.100.7");
        var signIn = new LockoutAuthenticationProvider(store, events, new AccountProperties.Lockout(3, Duration.ofMinutes(15),
                Duration.ofMinutes(15)), PASSWORDS, transactions, Clock.systemUTC());

        assertThatThrownBy(() -> signIn.authenticate(attempt("fred", "wrong one"))).isInstanceOf(BadCredentialsException.class);
        assertThat(signIn.authenticate(attempt("fred", PASSWORD)).isAuthenticated()).as("a success forgets failures").isTrue();
        assertThatThrownBy(() -> signIn.authenticate(attempt("fred", "wrong one"))).isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> signIn.authenticate(attempt("fred", "wrong two"))).isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> signIn.authenticate(attempt("fred", "wrong three"))).isInstanceOf(AccountLockedException.class);
        assertThatThrownBy(() -> signIn.authenticate(attempt("fred", PASSWORD)))
                .isInstanceOf(AccountLockedException.class)
                .hasMessageContaining("locked until").hasMessageContaining("ask an administrator");
        assertThat(accounts.find("fred").orElseThrow().lockedUntil()).isAfter(Clock.systemUTC().instant().plusSeconds(14 * 60));

        accounts.unlock("adam", "fred");

        assertThat(signIn.authenticate(attempt("fred", PASSWORD)).getAuthorities())
                .extracting(Object::toString).contains("ROLE_CUSTOMER");
        assertThat(pending()).extracting(AccountChanged::change, AccountChanged::actor).contains(
                tuple(AccountChanged.Change.LOCKED, AccountChanged.GATEWAY),
                tuple(AccountChanged.Change.UNLOCKED, "adam"));
        assertThatThrownBy(() -> signIn.authenticate(attempt("nobody", PASSWORD))).isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> signIn.authenticate(attempt("fred", "x".repeat(100)))).isInstanceOf(BadCredentialsException.class);
    }

    @Test
    void seedsMissingAccountsOnlyAndRefusesWeakHashes() {
        var properties = new AccountProperties(new AccountProperties.InitialAdmin("root-admin", HASH),
                Map.of("gina", new AccountProperties.SeedAccount(HASH, Set.of(Role.CATALOG_MANAGER))),
                new AccountProperties.Lockout(5, Duration.ofMinutes(15), Duration.ofMinutes(15)), 12);
        var seeder = new AccountSeeder(properties, store, REGION, events, new AccountRules(12), transactions,
                Clock.systemUTC());

        seeder.afterSingletonsInstantiated();
        accounts.revoke("root-admin", "gina", Role.CATALOG_MANAGER);
        seeder.afterSingletonsInstantiated();

        assertThat(rolesOf("gina")).as("the database, not the seed, counts once it exists").isEmpty();
        assertThat(rolesOf("root-admin")).containsExactly(Role.ADMIN);
        assertThat(List.of("gina", "root-admin")).allSatisfy(seeded ->
                assertThat(accounts.find(seeded).orElseThrow().homeRegion()).isEqualTo(REGION));
        assertThat(pending()).filteredOn(event -> event.change() == AccountChanged.Change.SEEDED).hasSize(2);
        var weak = new AccountProperties(null, Map.of("hank", new AccountProperties.SeedAccount("{noop}polystore",
                Set.of(Role.CUSTOMER))), properties.lockout(), 12);
        assertThatThrownBy(() -> new AccountSeeder(weak, store, REGION, events, new AccountRules(12), transactions,
                Clock.systemUTC()).afterSingletonsInstantiated()).hasMessageStartingWith("polystore.accounts.seed.hank.password: must be a strong password hash");
    }

    @Test
    void theRelayDeletesWhatKafkaTookAndKeepsWhatItDidNot() throws Exception {
        accounts.register("ivan", PASSWORD, "198.51.100.7");
        accounts.register("jane", PASSWORD, "198.51.100.7");

        var failing = new AccountEventRelay(jdbc, transactions, record -> CompletableFuture.failedFuture(
                new IllegalStateException("no broker")), new KafkaEventBinding(CODEC), CODEC, Duration.ofSeconds(1),
                new SimpleMeterRegistry());
        assertThatThrownBy(failing::relayOnce).hasMessageContaining("no broker");
        assertThat(pending()).hasSize(2);

        assertThat(relay.relayOnce()).isEqualTo(2);
        assertThat(pending()).isEmpty();
        assertThat(sent).extracting(ProducerRecord::key).containsExactly("ivan", "jane");
        assertThat(sent).allSatisfy(record -> assertThat(record.topic()).isEqualTo("audit.events"));
    }

    @Test
    void accountsFromBeforeRegionsAreHomedInTheGatewaysRegion() {
        PostgresServer postgres = SharedServers.postgres();
        String database = "gateway_before_regions";
        postgres.createDatabaseIfMissing(database);
        var dataSource = new DriverManagerDataSource(postgres.jdbcUrl(database), postgres.username(), postgres.password());
        Flyway.configure().dataSource(dataSource).cleanDisabled(false).load().clean();
        Flyway.configure().dataSource(dataSource).target("4").load().migrate();
        JdbcClient before = JdbcClient.create(dataSource);
        before.sql("INSERT INTO account (username, password_hash, created_at, updated_at) "
                + "VALUES ('old', :hash, now(), now())").param("hash", HASH).update();

        Flyway.configure().dataSource(dataSource).placeholders(Map.of(AccountSchema.REGION_PLACEHOLDER, "ap-south"))
                .load().migrate();

        assertThat(new AccountStore(before).find("old").orElseThrow().homeRegion()).isEqualTo("ap-south");
    }

    private Set<Role> rolesOf(String username) {
        return accounts.find(username).orElseThrow().roles();
    }

    private static UsernamePasswordAuthenticationToken attempt(String username, String password) {
        return UsernamePasswordAuthenticationToken.unauthenticated(username, password);
    }

    private static List<AccountChanged> pending() {
        return jdbc.sql("SELECT envelope FROM account_event ORDER BY created_at, id").query(byte[].class).list().stream()
                .map(envelope -> (AccountChanged) CODEC.fromStructuredJson(envelope).data()).toList();
    }
}
