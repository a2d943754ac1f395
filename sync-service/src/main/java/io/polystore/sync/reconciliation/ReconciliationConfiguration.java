package io.polystore.sync.reconciliation;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.http.HttpRpcSettings;
import io.polystore.surrealdb.http.HttpRpcTransport;
import io.polystore.sync.SyncProperties;
import io.polystore.sync.reconciliation.internal.CompensationSender;
import io.polystore.sync.reconciliation.internal.OrderReader;
import io.polystore.sync.reconciliation.internal.ReservationReader;
import io.polystore.sync.reconciliation.internal.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReconciliationProperties.class)
class ReconciliationConfiguration {

    /**
     * Order-service's database, read-only, through a pool of two (a run reads it with one statement); not a
     * {@code DataSource} bean, which would replace sync-service's own.
     */
    @Bean(destroyMethod = "close")
    OrderReader orderReader(SyncProperties properties) {
        SyncProperties.Postgres orders = properties.postgres();
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(orders.jdbcUrl());
        dataSource.setUsername(orders.username());
        dataSource.setPassword(orders.password());
        dataSource.setReadOnly(true);
        dataSource.setMaximumPoolSize(2);
        dataSource.setMinimumIdle(0);
        dataSource.setConnectionTimeout(5_000);
        dataSource.setPoolName("reconciliation-orders");
        return new OrderReader(dataSource);
    }

    /**
     * A client of its own on catalog-service's database (sync-service's client is on the outbox database); not a
     * {@code SurrealClient} bean, which would replace the auto-configured one.
     */
    @Bean(destroyMethod = "close")
    ReservationReader reservationReader(HttpRpcSettings surreal, ReconciliationProperties properties,
                                        MeterRegistry registry) {
        HttpRpcSettings settings = surreal.withDatabase(properties.catalogDatabase()).withMaxConcurrentRequests(4);
        return new ReservationReader(new SurrealClient(new HttpRpcTransport(settings, registry)));
    }

    @Bean
    RunStore reconciliationRunStore(JdbcClient jdbc) {
        return new RunStore(jdbc);
    }

    @Bean
    ReconciliationMetrics reconciliationMetrics(RunStore runs, MeterRegistry registry) {
        return new ReconciliationMetrics(runs, registry, Clock.systemUTC());
    }

    @Bean
    Reconciliation reconciliation(ReservationReader reservations, OrderReader orders,
                                  RunStore runs, KafkaTemplate<String, byte[]> kafka, KafkaEventBinding binding,
                                  ReconciliationMetrics metrics, ReconciliationProperties properties,
                                  SyncProperties syncProperties, TransactionTemplate transaction) {
        return new Reconciliation(reservations, orders, runs,
                new CompensationSender(kafka, binding, syncProperties.publishTimeout(), Clock.systemUTC()),
                metrics, properties, transaction, Clock.systemUTC());
    }


    /** Every {@code interval}, the first one interval after start-up; on one replica at a time. */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @ConditionalOnBooleanProperty(name = "polystore.sync.reconciliation.scheduled", matchIfMissing = true)
    static class Schedule implements SchedulingConfigurer {

        private static final Logger log = LoggerFactory.getLogger(Schedule.class);

        private final Reconciliation reconciliation;
        private final ReconciliationProperties properties;

        Schedule(Reconciliation reconciliation, ReconciliationProperties properties) {
            this.reconciliation = reconciliation;
            this.properties = properties;
        }

        @Override
        public void configureTasks(ScheduledTaskRegistrar registrar) {
            registrar.addFixedDelayTask(new FixedDelayTask(this::run, properties.interval(), properties.interval()));
        }

        private void run() {
            try {
                reconciliation.runScheduled();
            } catch (RuntimeException e) {
                log.warn("Scheduled reconciliation failed; trying again in {}", properties.interval(), e);
            }
        }
    }
}
