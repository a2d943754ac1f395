package io.polystore.servicedefaults.security;

import io.polystore.servicedefaults.problem.ProblemResponses;
import io.polystore.servicedefaults.region.KnownRegions;
import io.polystore.servicedefaults.region.RegionProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.client.RestClient;

import java.time.Clock;

/**
 * Every request needs a valid JWT except health, metrics and API docs; roles come from the token's {@code roles}
 * claim (Boot's {@code authorities-claim-name}). Services add their object-level rules with {@code @PreAuthorize}.
 * Tokens are held to {@link TokenRules}: Boot's decoder checks the issuer and audience from its properties and takes
 * the time rules from the beans here (which replace its own 60-second leeway).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
@EnableConfigurationProperties(TokenProperties.class)
public class ResourceServerSecurity {

    static final String[] PUBLIC_PATHS = {
            "/actuator/health/**", "/actuator/info", "/actuator/prometheus",
            "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html", "/error"};

    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    SecurityFilterChain polystoreSecurityFilterChain(HttpSecurity http, ProblemDetailsSecurityHandler problems) {
        statelessBearerTokens(http, problems).authorizeHttpRequests(requests -> requests
                .requestMatchers(PUBLIC_PATHS).permitAll()
                .anyRequest().authenticated());
        return http.build();
    }

    /**
     * Bearer JWTs only, no session and no CSRF (no cookies a forged request could ride on), 401 and 403 as problem
     * details: the set-up every chain that serves an API shares; the caller adds its own rules.
     */
    public static HttpSecurity statelessBearerTokens(HttpSecurity http, ProblemDetailsSecurityHandler problems) {
        return http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems)
                        .withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                            @Override
                            public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                                filter.setAuthenticationFailureHandler(problems);
                                return filter;
                            }
                        }))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems));
    }

    /**
     * No Spring Security observations: they wrap each filter of the chain in an observation (a timer and, when
     * sampled, a span) on every request, which cost the gateway half its throughput and order placement about a
     * tenth of its CPU (issue 15). Refused requests still show in {@code http.server.requests} by status.
     */
    @Bean
    @ConditionalOnMissingBean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** Spring Security's resource server configuration takes the resolver from the context. */
    @Bean
    @ConditionalOnMissingBean
    BearerTokenResolver polystoreBearerTokens() {
        return new AuthorizationHeaderTokens();
    }

    /** Static: a post-processor, created before the other beans of this configuration. */
    @Bean
    static BeanPostProcessor polystoreRememberedTokens() {
        return RememberedTokens.inFrontOfVerifyingDecoders();
    }

    /** Tokens of every region's gateway listed in {@code polystore.region.gateways}, each with its own keys. */
    @Bean
    static BeanPostProcessor polystoreRegionIssuers(ObjectProvider<OtherRegionsKeys> otherRegionsKeys,
                                                    ObjectProvider<TokenProperties> tokens, Environment environment) {
        return RegionIssuers.trustingOtherRegions(otherRegionsKeys, tokens, environment);
    }

    /** Read with the service's HTTP client, as Boot's own decoder reads its issuer's keys ({@code TlsDefaults}). */
    @Bean
    OtherRegionsKeys polystoreOtherRegionsKeys(RegionProperties region, ObjectProvider<KnownRegions> known,
                                               ObjectProvider<ClientHttpRequestFactory> requestFactory) {
        RestClient.Builder http = RestClient.builder();
        requestFactory.ifAvailable(http::requestFactory);
        return new OtherRegionsKeys(region, known.getIfAvailable(), http.build());
    }

    @Bean
    JwtTimestampValidator polystoreTokenTimeWindow(TokenProperties tokens) {
        return TokenRules.timeWindow(tokens.clockSkew(), Clock.systemUTC());
    }

    @Bean
    OAuth2TokenValidator<Jwt> polystoreTokenIssuedAt(TokenProperties tokens) {
        return TokenRules.issuedAt(tokens.clockSkew(), Clock.systemUTC());
    }

    @Bean
    ProblemDetailsSecurityHandler problemDetailsSecurityHandler(ProblemResponses problems) {
        return new ProblemDetailsSecurityHandler(problems);
    }
}
