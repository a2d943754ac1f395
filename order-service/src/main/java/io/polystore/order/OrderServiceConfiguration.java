package io.polystore.order;

import io.polystore.order.history.HistoryBackfillProperties;
import io.polystore.order.placement.OrderProperties;
import io.polystore.order.saga.SagaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({OrderProperties.class, SagaProperties.class, HistoryBackfillProperties.class})
class OrderServiceConfiguration {

    /** Microsecond ticks, PostgreSQL's precision: a time read back equals the time written. */
    @Bean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
