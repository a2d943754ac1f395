package io.polystore.servicedefaults.region;

import io.polystore.events.kafka.KafkaEventBinding;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Clock;

/** The region every service runs in, its name on every response, and the other regions it knows. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RegionProperties.class)
public class RegionDefaults {

    /** First of all, so that even a refusal of the request limits says which region refused. */
    @Bean
    FilterRegistrationBean<RegionHeaderFilter> regionHeaderFilter(RegionProperties region) {
        var registration = new FilterRegistrationBean<>(new RegionHeaderFilter(region.name()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** The regions known: configured, and announced at run time through Kafka (which every service has). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaTemplate.class)
    static class KnownRegionsConfiguration {

        @Bean
        KnownRegions knownRegions(RegionProperties region, @Value("${spring.application.name:service}") String service,
                                  ObjectProvider<ConsumerFactory<String, byte[]>> consumers,
                                  ObjectProvider<KafkaTemplate<String, byte[]>> producer,
                                  ObjectProvider<KafkaEventBinding> binding) {
            return new KnownRegions(region, service, consumers, producer, binding, Clock.systemUTC());
        }
    }
}
