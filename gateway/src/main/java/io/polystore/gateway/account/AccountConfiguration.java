package io.polystore.gateway.account;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.EventCodec;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.gateway.ConditionalOnEmbeddedIssuer;
import io.polystore.gateway.account.internal.AccountEventOutbox;
import io.polystore.gateway.account.internal.AccountEventRelay;
import io.polystore.gateway.account.internal.AccountRules;
import io.polystore.gateway.account.internal.AccountSeeder;
import io.polystore.gateway.account.internal.AccountStore;
import io.polystore.gateway.account.internal.LockoutAuthenticationProvider;
import io.polystore.gateway.limits.GatewayLimits;
import io.polystore.servicedefaults.problem.ProblemMappings;
import io.polystore.servicedefaults.problem.ProblemResponses;
import io.polystore.servicedefaults.region.RegionProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;

/**
 * People's accounts in the gateway's database, for as long as the gateway issues the tokens; with an external issuer
 * the accounts live there and none of this exists.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEmbeddedIssuer
class AccountConfiguration {

    private static final Duration RELAY_INTERVAL = Duration.ofSeconds(1);

    AccountConfiguration(Environment environment) {
        if (Binder.get(environment).bind("polystore.identity.users", Bindable.mapOf(String.class, Object.class)).isBound()) {
            throw new IllegalStateException("polystore.identity.users is no longer read: people's accounts live in the "
                    + "gateway's database. Seed them with polystore.accounts.seed.<username>.password/.roles, or create "
                    + "the first administrator with polystore.accounts.initial-admin.username/.password.");
        }
    }

    @Bean
    ProblemMappings accountProblemMappings() {
        return ProblemMappings.builder()
                .status(AccountException.NotFound.class, HttpStatus.NOT_FOUND)
                .status(AccountException.Exists.class, HttpStatus.CONFLICT)
                .status(AccountException.LastAdministrator.class, HttpStatus.CONFLICT)
                .build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordHashes.encoder();
    }

    @Bean
    AccountStore accountStore(JdbcClient jdbc) {
        return new AccountStore(jdbc);
    }

    @Bean
    AccountRules accountRules(AccountProperties properties) {
        return new AccountRules(properties.passwordMinLength());
    }

    @Bean
    AccountEventRelay accountEventRelay(JdbcClient jdbc, TransactionTemplate transactions, KafkaTemplate<String, byte[]> kafka,
                                        KafkaEventBinding binding, EventCodec codec, MeterRegistry meters) {
        return new AccountEventRelay(jdbc, transactions, kafka::send, binding, codec, RELAY_INTERVAL, meters);
    }

    @Bean
    AccountEventOutbox accountEventOutbox(JdbcClient jdbc, EventCodec codec, AccountEventRelay relay) {
        return new AccountEventOutbox(jdbc, codec, Clock.systemUTC(), relay);
    }

    @Bean
    Accounts accounts(AccountStore store, RegionProperties region, AccountEventOutbox events, AccountRules rules,
                      PasswordEncoder passwords, ObjectProvider<ReservedUsernames> reserved, GatewayLimits limits,
                      TransactionTemplate transactions) {
        return new Accounts(store, region.name(), events, rules, passwords, reserved.orderedStream().toList(),
                limits::tryRegistration, transactions, Clock.systemUTC());
    }

    @Bean
    AccountSeeder accountSeeder(AccountProperties properties, AccountStore store, RegionProperties region,
                                AccountEventOutbox events, AccountRules rules, TransactionTemplate transactions) {
        return new AccountSeeder(properties, store, region.name(), events, rules, transactions, Clock.systemUTC());
    }

    @Bean
    AccountSignIn accountSignIn(AccountProperties properties, AccountStore store, AccountEventOutbox events,
                                PasswordEncoder passwords, TransactionTemplate transactions, ProblemResponses problems) {
        var provider = new LockoutAuthenticationProvider(store, events, properties.lockout(), passwords, transactions,
                Clock.systemUTC());
        return new AccountSignIn(new ProviderManager(provider), problems);
    }
}
