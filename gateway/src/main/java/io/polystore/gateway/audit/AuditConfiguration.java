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

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "polystore.gateway.audit.enabled", matchIfMissing = true)
class AuditConfiguration {

    @Bean
    AccessAuditPublisher accessAuditPublisher(KafkaTemplate<String, byte[]> kafka, KafkaEventBinding binding,
                                              AuditProperties properties, MeterRegistry meters) {
        return new AccessAuditPublisher(kafka::send, binding, properties, Clock.systemUTC(), meters);
    }

    /** On Tomcat's engine, so that it sees every request, also those refused before reaching the application. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> accessAuditValve(AccessAuditPublisher publisher,
                                                                               AuditProperties properties) {
        return factory -> factory.addEngineValves(new AccessAuditValve(publisher, properties.quietPaths(), Clock.systemUTC()));
    }
}
