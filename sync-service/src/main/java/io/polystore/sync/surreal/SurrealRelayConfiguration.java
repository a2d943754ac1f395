package io.polystore.sync.surreal;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.EventCodec;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.sync.SyncProperties;
import io.polystore.sync.relay.ExclusiveRelayRunner;
import io.polystore.sync.relay.OutboxPublisher;
import io.polystore.sync.relay.RelayMetrics;
import io.polystore.sync.surreal.internal.ChangeFeedEntries;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "polystore.sync.surrealdb.enabled", matchIfMissing = true)
class SurrealRelayConfiguration {

    @Bean
    ChangeFeedCursors changeFeedCursors(JdbcClient jdbc) {
        return new ChangeFeedCursors(jdbc);
    }

    @Bean
    SurrealOutboxRelay surrealOutboxRelay(SurrealClient surreal, ChangeFeedCursors cursors, EventCodec codec,
                                          OutboxPublisher publisher, SyncProperties properties, MeterRegistry registry) {
        return new SurrealOutboxRelay(surreal, cursors, new ChangeFeedEntries(codec), publisher, properties.surrealdb(),
                Clock.systemUTC(), registry);
    }

    @Bean
    ExclusiveRelayRunner surrealRelayRunner(SurrealOutboxRelay relay, ExclusiveRelayRunner.LockDatabase lockDatabase,
                                            SyncProperties properties, RelayMetrics metrics) {
        return new ExclusiveRelayRunner(relay, lockDatabase, properties.leadership().retryInterval(),
                properties.leadership().checkInterval(), metrics);
    }
}
