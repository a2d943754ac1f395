package io.polystore.gateway.routing;

import io.polystore.gateway.routing.internal.AnsweringRegionHeader;
import io.polystore.gateway.routing.internal.ForwardedHeaders;
import io.polystore.gateway.routing.internal.HomeRegionApiDocs;
import io.polystore.gateway.routing.internal.HomeRegionForwarding;
import io.polystore.gateway.routing.internal.ReplayableBody;
import io.polystore.gateway.routing.internal.UpstreamInstances;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.polystore.servicedefaults.problem.ProblemResponses;
import io.polystore.servicedefaults.region.KnownRegions;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.cloud.gateway.server.mvc.filter.FilterSupplier;
import org.springframework.cloud.gateway.server.mvc.filter.SimpleFilterSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;

@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    /**
     * Calls to the services with Apache HttpClient (blocking, on the request's own virtual thread, fewer hand-offs
     * than the JDK client) and a pool sized for a gateway rather than the library's default of 5 per host. Its own
     * retries are off: the {@code Resilient} filter alone decides what is retried. Timeouts still come from
     * {@code spring.http.clients.*}.
     */
    @Bean
    ClientHttpRequestFactoryBuilder<?> upstreamClient(RoutingProperties routing) {
        return ClientHttpRequestFactoryBuilder.httpComponents()
                .withHttpClientCustomizer(HttpClientBuilder::disableAutomaticRetries)
                .withConnectionManagerCustomizer(pool -> pool
                        .setMaxConnPerRoute(routing.maxConnectionsPerService())
                        .setMaxConnTotal(routing.maxConnections()));
    }

    @Bean
    UpstreamInstances upstreamInstances(RoutingProperties routing) {
        return new UpstreamInstances(routing.instances());
    }

    /** After the security filters: only a request that passed them has its body kept for a retry. */
    @Bean
    FilterRegistrationBean<ReplayableBody> replayableBody(ProblemResponses problems) {
        var registration = new FilterRegistrationBean<>(new ReplayableBody(problems));
        registration.setOrder(0);
        return registration;
    }

    /** Right after the gateway named its own region: the region of a service that answers replaces it. */
    @Bean
    FilterRegistrationBean<AnsweringRegionHeader> answeringRegionHeader() {
        var registration = new FilterRegistrationBean<>(new AnsweringRegionHeader());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** The gateway's own document says which of its operations are forwarded to the home region (one's account). */
    @Bean
    HomeRegionApiDocs homeRegionApiDocs() {
        return new HomeRegionApiDocs();
    }

    /** The public address of each forwarded request, for the services' Location headers. */
    @Bean
    ForwardedHeaders forwardedHeaders() {
        return new ForwardedHeaders();
    }

    /**
     * After the security filters and before the routes: a customer homed in another region listed in
     * {@code polystore.region.gateways} has their home-region-only requests forwarded there.
     */
    @Bean
    FilterRegistrationBean<HomeRegionForwarding> homeRegionForwarding(
            KnownRegions region, CircuitBreakerRegistry breakers, ClientHttpRequestFactoryBuilder<?> upstreamClient,
            HttpClientSettings clientSettings, @Value("${polystore.services.orders}") URI orders,
            UpstreamInstances instances, JsonMapper json) {
        var client = upstreamClient.build(clientSettings.withRedirects(HttpRedirects.DONT_FOLLOW));
        var registration = new FilterRegistrationBean<>(
                new HomeRegionForwarding(region, breakers, client, orders, instances, json));
        registration.setOrder(1);
        return registration;
    }

    /** Makes {@link GatewayFilters} usable by name in the configured routes. */
    @Bean
    FilterSupplier polystoreGatewayFilters() {
        return new SimpleFilterSupplier(GatewayFilters.class);
    }
}
