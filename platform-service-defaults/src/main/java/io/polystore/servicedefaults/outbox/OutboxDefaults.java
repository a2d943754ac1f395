package io.polystore.servicedefaults.outbox;

import io.polystore.events.EventCodec;
import io.polystore.servicedefaults.observability.EventTracing;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * The transactional outbox for services with a PostgreSQL database: an {@link OutboxWriter}, the retention clean-up
 * and the backlog gauges, wherever the service has a DataSource. The clean-up and the gauges stay idle in a database
 * without the outbox table.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(JdbcClient.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(OutboxProperties.class)
public class OutboxDefaults {

    private final JdbcClient jdbc;
    private final OutboxProperties properties;
    private final Clock clock;

    // A JdbcClient of its own on the DataSource: it joins the caller's transaction all the same (DataSourceUtils).
    OutboxDefaults(DataSource dataSource, OutboxProperties properties, ObjectProvider<Clock> clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.properties = properties;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Bean
    @ConditionalOnMissingBean
    OutboxWriter outboxWriter(ObjectProvider<EventCodec> codec, ObjectProvider<EventTracing> tracing,
                              @Value("${spring.application.name}") String application) {
        String source = properties.source() == null || properties.source().isBlank() ? "/" + application : properties.source();
        return new OutboxWriter(jdbc, codec.getIfAvailable(EventCodec::new), properties.table(), source, clock,
                tracing.getIfAvailable(() -> EventTracing.NONE));
    }

    @Bean
    @ConditionalOnMissingBean
    OutboxCleanup outboxCleanup() {
        return new OutboxCleanup(jdbc, properties, clock);
    }

    @Bean
    @ConditionalOnMissingBean
    OutboxBacklogMetrics outboxBacklogMetrics() {
        return new OutboxBacklogMetrics(jdbc, properties, clock);
    }
}
