package io.polystore.testkit.spring;

import io.polystore.testkit.SharedServers;
import io.polystore.testkit.SurrealDbEndpoint;
import io.polystore.testkit.jwt.TestTokenIssuer;
import io.polystore.testkit.postgres.PostgresServer;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * Starts the servers a test asked for (once per JVM) and hands their addresses to Spring: JDBC and Kafka as
 * Boot {@code ConnectionDetails} beans, which win over any {@code spring.datasource}/{@code spring.kafka} properties,
 * SurrealDB and the token issuer as properties. A record, so that equal needs share one cached context.
 */
record RealServersContextCustomizer(String postgresDatabase, boolean kafka, SurrealDbTarget surrealDb, boolean tokens)
        implements ContextCustomizer {

    record SurrealDbTarget(String namespace, String database) {
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        var beanFactory = context.getBeanFactory();
        List<String> properties = new ArrayList<>();
        if (postgresDatabase != null) {
            PostgresServer postgres = SharedServers.postgres();
            postgres.createDatabaseIfMissing(postgresDatabase);
            beanFactory.registerSingleton("testkitJdbcConnectionDetails", jdbcConnectionDetails(postgres.jdbcUrl(postgresDatabase), postgres));
        }
        if (kafka) {
            List<String> bootstrapServers = List.of(SharedServers.kafka().bootstrapServers().split(","));
            beanFactory.registerSingleton("testkitKafkaConnectionDetails", (KafkaConnectionDetails) () -> bootstrapServers);
        }
        if (surrealDb != null) {
            SurrealDbEndpoint endpoint = SharedServers.surrealDb();
            properties.add("polystore.surrealdb.url=" + endpoint.url());
            properties.add("polystore.surrealdb.username=" + endpoint.username());
            properties.add("polystore.surrealdb.password=" + endpoint.password());
            properties.add("polystore.surrealdb.namespace=" + surrealDb.namespace());
            properties.add("polystore.surrealdb.database=" + surrealDb.database());
        }
        if (tokens) {
            TestTokenIssuer issuer = SharedServers.tokens();
            properties.add("spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer.issuer());
            properties.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + issuer.jwkSetUri());
            properties.add("spring.security.oauth2.resourceserver.jwt.audiences=" + TestTokenIssuer.AUDIENCE);
        }
        TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context, properties.toArray(String[]::new));
    }

    private static JdbcConnectionDetails jdbcConnectionDetails(String url, PostgresServer postgres) {
        return new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return postgres.username();
            }

            @Override
            public String getPassword() {
                return postgres.password();
            }

            @Override
            public String getJdbcUrl() {
                return url;
            }
        };
    }
}
