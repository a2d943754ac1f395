package io.polystore.sync.federation;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.surrealdb.http.HttpRpcSettings;
import io.polystore.sync.SyncProperties;
import io.polystore.sync.federation.internal.FederationStores;
import io.polystore.sync.federation.internal.FreshnessReader;
import io.polystore.sync.federation.internal.QueryAuditor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FederationProperties.class)
class FederationConfiguration {

    @Bean(destroyMethod = "close")
    FederationStores federationStores(SyncProperties sync, HttpRpcSettings surreal, FederationProperties properties,
                                      MeterRegistry registry) {
        return new FederationStores(sync.postgres(), surreal, properties, registry);
    }

    /** Provisions the read-only users and builds the schemas once the service is up, not in its way. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> federationStart(FederationStores stores) {
        return event -> Thread.ofVirtual().name("federation-start").start(stores::prepare);
    }

    @Bean(destroyMethod = "close")
    QueryAuditor federationQueryAuditor(KafkaTemplate<String, byte[]> kafka, KafkaEventBinding binding,
                                        MeterRegistry registry) {
        return new QueryAuditor(kafka, binding, Clock.systemUTC(), registry);
    }

    @Bean
    FederatedQueries federatedQueries(FederationStores stores, SyncProperties sync, JdbcClient jdbc,
                                      QueryAuditor auditor, FederationProperties properties) {
        return new FederatedQueries(stores, new FreshnessReader(stores.relayUser(), sync, jdbc, Clock.systemUTC()),
                auditor, properties, Clock.systemUTC());
    }

    @Bean
    Reports federationReports(FederatedQueries queries) {
        return new Reports(queries);
    }
}
