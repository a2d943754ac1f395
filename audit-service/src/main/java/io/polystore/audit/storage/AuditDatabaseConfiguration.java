package io.polystore.audit.storage;

import com.zaxxer.hikari.HikariDataSource;
import io.polystore.audit.retention.RetentionProperties;
import io.polystore.audit.storage.internal.AppRoleProvisioning;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * Two identities on one database. The owner ({@code spring.datasource.*}) migrates the schema and provisions the
 * application's role; the service's pool then connects as that restricted role, which can read and append but
 * never change or remove a record. Flyway is configured here rather than by Boot, because it must use the owner's
 * connection and run before the pool exists (the role it connects as may not exist yet).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AuditDatabaseProperties.class, RetentionProperties.class})
public class AuditDatabaseConfiguration {

    public static final String SCHEMA = "audit";

    @Bean
    Flyway flyway(ObjectProvider<JdbcConnectionDetails> connectionDetails, DataSourceProperties dataSourceProperties,
                  AuditDatabaseProperties database, RetentionProperties retention) {
        JdbcConnectionDetails owner = owner(connectionDetails, dataSourceProperties);
        return Flyway.configure(getClass().getClassLoader())
                .dataSource(owner.getJdbcUrl(), owner.getUsername(), owner.getPassword())
                .schemas(SCHEMA)
                .locations("classpath:db/migration")
                .callbacks(new AppRoleProvisioning(database.appUsername(), database.appPassword(), retention.period()))
                .load();
    }

    @Bean
    FlywayMigrationInitializer flywayInitializer(Flyway flyway) {
        return new FlywayMigrationInitializer(flyway);
    }

    /** The service's only pool, as the restricted role; {@code spring.datasource.hikari.*} tunes it. */
    @Bean
    @DependsOn("flywayInitializer")
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(ObjectProvider<JdbcConnectionDetails> connectionDetails,
                                DataSourceProperties dataSourceProperties, AuditDatabaseProperties database) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setPoolName("audit-app");
        dataSource.setJdbcUrl(owner(connectionDetails, dataSourceProperties).getJdbcUrl());
        dataSource.setUsername(database.appUsername());
        dataSource.setPassword(database.appPassword());
        // One multi-row INSERT per batch instead of one statement per record.
        dataSource.addDataSourceProperty("reWriteBatchedInserts", "true");
        return dataSource;
    }

    /** Boot offers connection details only while it builds the DataSource itself; otherwise read the properties. */
    private static JdbcConnectionDetails owner(ObjectProvider<JdbcConnectionDetails> connectionDetails,
                                               DataSourceProperties properties) {
        return connectionDetails.getIfAvailable(() -> new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return properties.determineUsername();
            }

            @Override
            public String getPassword() {
                return properties.determinePassword();
            }

            @Override
            public String getJdbcUrl() {
                return properties.determineUrl();
            }
        });
    }
}
