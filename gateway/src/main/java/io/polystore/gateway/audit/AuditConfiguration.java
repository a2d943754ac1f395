package io.polystore.gateway.audit;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.gateway.audit.internal.AccessAuditValve;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "polystore.gateway.audit.enabled", matchIfMissing = true)
class AuditConfiguration {

    @Bean
    AccessAuditPublisher accessAuditPublisher(KafkaTemplate<String, byte[]> kafka, KafkaEventBinding binding,
                                              AuditProperties properties, MeterRegistry meters) {
        return new AccessAuditPublisher(kafka::send, binding, properties, Clock.systemUTC(), meters);
    }

    /**
     * Replaces Spring Kafka's listener that logs every failed send with its payload: while Kafka is down that would be
     * one error per request. The publisher logs when Kafka goes away and comes back, and counts the failures.
     */
    @Bean
    ProducerListener<Object, Object> quietProducerListener() {
        return new ProducerListener<>() {
        };
    }

    /** On Tomcat's engine, so that it sees every request, also those refused before reaching the application. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> accessAuditValve(AccessAuditPublisher publisher,
                                                                               AuditProperties properties,
                                                                               MeterRegistry meters) {
        return factory -> factory.addEngineValves(
                new AccessAuditValve(publisher, properties.quietPaths(), Clock.systemUTC(), meters));
    }
}
