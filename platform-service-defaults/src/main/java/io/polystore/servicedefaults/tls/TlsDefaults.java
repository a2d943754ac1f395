package io.polystore.servicedefaults.tls;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.JwkSetUriJwtDecoderBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestTemplate;

/**
 * The client side of TLS that Boot's properties do not reach by themselves: the resource server fetches the
 * issuer's discovery document and JWK set with Boot's configured HTTP client ({@code spring.http.clients.*}, so with
 * {@code spring.http.clients.ssl.bundle}) instead of a plain {@code RestTemplate} that trusts only the JVM's CAs.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TlsProperties.class)
public class TlsDefaults {

    @Bean
    JwkSetUriJwtDecoderBuilderCustomizer polystoreJwkSetClient(ObjectProvider<ClientHttpRequestFactory> requestFactory) {
        return jwkSet -> requestFactory.ifAvailable(factory -> jwkSet.restOperations(new RestTemplate(factory)));
    }
}
