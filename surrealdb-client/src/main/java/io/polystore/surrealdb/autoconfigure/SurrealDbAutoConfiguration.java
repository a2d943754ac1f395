package io.polystore.surrealdb.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.polystore.surrealdb.SurrealAuthenticationException;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealTransport;
import io.polystore.surrealdb.SurrealTransportException;
import io.polystore.surrealdb.http.HttpRpcSettings;
import io.polystore.surrealdb.http.HttpRpcTransport;
import io.polystore.surrealdb.migration.Migration;
import io.polystore.surrealdb.migration.SchemaMigrator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.util.StringUtils;

import java.util.List;

/**
 * A {@link SurrealClient} from {@code polystore.surrealdb.*}, ready when injected: signed in, namespace and database
 * defined, migrations applied. Start-up fails at once, naming the URL, when SurrealDB does not answer or refuses
 * the credentials. With Spring Boot's health support, a {@code surrealdb} health indicator.
 */
@AutoConfiguration
@ConditionalOnClass(SurrealClient.class)
@EnableConfigurationProperties(SurrealDbProperties.class)
public class SurrealDbAutoConfiguration {

    /**
     * The connection {@code polystore.surrealdb.*} describes, for the transport here and for clients of their own
     * that a service derives from it (another database, another user).
     */
    @Bean
    @ConditionalOnMissingBean
    HttpRpcSettings surrealDbSettings(SurrealDbProperties properties, ObjectProvider<SslBundles> sslBundles) {
        HttpRpcSettings settings = new HttpRpcSettings(properties.url(), properties.namespace(), properties.database(),
                properties.username(), properties.password(), emptyToNull(properties.authNamespace()),
                emptyToNull(properties.authDatabase()), properties.connectTimeout(), properties.requestTimeout(),
                properties.maxConcurrentRequests(), null);
        if (StringUtils.hasText(properties.sslBundle())) {
            SslBundles bundles = sslBundles.getIfAvailable();
            if (bundles == null) {
                throw new IllegalStateException("polystore.surrealdb.ssl-bundle names " + properties.sslBundle()
                        + ", but this application has no SSL bundles (spring.ssl.bundle.*)");
            }
            settings = settings.withSslContext(bundles.getBundle(properties.sslBundle()).createSslContext());
        }
        return settings;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SurrealTransport surrealTransport(HttpRpcSettings settings, ObjectProvider<MeterRegistry> meterRegistry) {
        return new HttpRpcTransport(settings, meterRegistry.getIfAvailable(CompositeMeterRegistry::new));
    }

    /** Not closed by the context: the transport bean is, once, after everything that uses the client. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    SurrealClient surrealClient(SurrealTransport transport, SurrealDbProperties properties, ResourcePatternResolver resolver) {
        SurrealClient client = new SurrealClient(transport);
        List<Migration> migrations = properties.migrations().enabled()
                ? ClasspathMigrations.load(resolver, properties.migrations().locations())
                : List.of();
        SchemaMigrator migrator = new SchemaMigrator(client, properties.namespace(), properties.database(),
                properties.migrations().placeholders());
        try {
            if (properties.defineNamespaceAndDatabase()) {
                migrator.defineNamespaceAndDatabase();
            }
            if (properties.migrations().enabled()) {
                migrator.migrate(migrations);
            }
        } catch (SurrealTransportException | SurrealAuthenticationException e) {
            throw new SurrealDbUnavailableException(transport.address(), e);
        }
        return client;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("surrealdb")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "surrealdbHealthIndicator")
        SurrealDbHealthIndicator surrealdbHealthIndicator(SurrealClient client, SurrealDbProperties properties) {
            return new SurrealDbHealthIndicator(client, properties);
        }
    }

    private static String emptyToNull(String value) {
        return StringUtils.hasText(value) ? value : null;
    }
}
