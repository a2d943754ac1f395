package io.polystore.servicedefaults.startup;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fails start-up at once, naming the address, when PostgreSQL or Kafka does not answer: a service that starts
 * without its stores only fails later, on its first request or message, far from the cause.
 * Off with {@code polystore.startup.verify-stores=false}; {@code polystore.startup.verify-kafka=false} leaves out
 * Kafka only, for a service that keeps working without it. {@code polystore.startup.kafka-timeout} (10 s) is how long
 * a broker has to answer.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "polystore.startup.verify-stores", matchIfMissing = true)
public class StoreReachabilityVerifiers {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HikariDataSource.class)
    static class PostgresVerifier {

        /** Checks the pool as soon as it exists, before Flyway or anything else uses it. */
        @Bean
        static BeanPostProcessor postgresReachabilityVerifier() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof HikariDataSource dataSource) {
                        try (Connection connection = dataSource.getConnection()) {
                            connection.isValid(5);
                        } catch (Exception e) {
                            throw new StoreUnreachableException("PostgreSQL", dataSource.getJdbcUrl(), e);
                        }
                    }
                    return bean;
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaAdmin.class)
    @ConditionalOnBooleanProperty(name = "polystore.startup.verify-kafka", matchIfMissing = true)
    static class KafkaVerifier {

        @Bean
        SmartInitializingSingleton kafkaReachabilityVerifier(ObjectProvider<KafkaAdmin> kafkaAdmin,
                                                             @Value("${polystore.startup.kafka-timeout:10s}") Duration timeout) {
            return () -> kafkaAdmin.ifAvailable(admin -> {
                Object bootstrapServers = admin.getConfigurationProperties().get("bootstrap.servers");
                Admin client = Admin.create(admin.getConfigurationProperties());
                try {
                    client.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreUnreachableException("Kafka", String.valueOf(bootstrapServers), e);
                } catch (TimeoutException e) {
                    throw new StoreUnreachableException("Kafka", String.valueOf(bootstrapServers),
                            new TimeoutException("no broker answered within " + timeout.toSeconds() + " s"));
                } catch (Exception e) {
                    throw new StoreUnreachableException("Kafka", String.valueOf(bootstrapServers), e);
                } finally {
                    // A plain close() would wait up to a minute for the call that just timed out.
                    client.close(Duration.ofSeconds(1));
                }
            });
        }
    }
}
