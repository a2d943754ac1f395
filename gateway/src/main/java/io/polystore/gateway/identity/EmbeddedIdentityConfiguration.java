package io.polystore.gateway.identity;

import io.micrometer.core.instrument.MeterRegistry;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.polystore.gateway.access.PrincipalRecorder;
import io.polystore.gateway.identity.internal.ConfiguredClients;
import io.polystore.gateway.identity.internal.ConfiguredUsers;
import io.polystore.gateway.identity.internal.DemoTokenWriter;
import io.polystore.gateway.identity.internal.ExpiringAuthorizationService;
import io.polystore.gateway.identity.internal.IdentityApiDocs;
import io.polystore.gateway.identity.internal.PolystoreTokenCustomizer;
import io.polystore.gateway.identity.internal.SigningKeys;
import io.polystore.gateway.identity.internal.TokenValidation;
import io.polystore.gateway.limits.GatewayLimits;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.filter.CorsFilter;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway as the platform's OAuth2 authorization server and OpenID provider (Spring Authorization Server):
 * client credentials for machines, authorization code with PKCE and a sign-in page for people, refresh tokens,
 * OIDC discovery and the JWK set. Off when {@code polystore.identity.external-issuer-uri} names another issuer.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${" + IdentityProperties.EXTERNAL_ISSUER_PROPERTY + ":}' == ''")
class EmbeddedIdentityConfiguration {

    private static final int MAX_AUTHORIZATIONS = 100_000;

    /** The token, discovery and sign-in endpoints below, in the gateway's own OpenAPI document. */
    @Bean
    IdentityApiDocs identityApiDocs() {
        return new IdentityApiDocs();
    }

    @Bean
    SigningKeys signingKeys(IdentityProperties identity) {
        return SigningKeys.load(identity);
    }

    /** Published at the JWK set endpoint: the public parts of every configured key. */
    @Bean
    JWKSource<SecurityContext> jwkSource(SigningKeys keys) {
        return new ImmutableJWKSet<>(keys.publicJwkSet());
    }

    /** Signs with the active key only; the others just verify. */
    @Bean
    JwtEncoder jwtEncoder(SigningKeys keys) {
        return new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(keys.active())));
    }

    /** The gateway checks tokens against its own keys in memory, with the same rules as every service. */
    @Bean
    JwtDecoder jwtDecoder(SigningKeys keys, IdentityProperties identity) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<>(keys.publicJwkSet()))
                .jwsAlgorithms(algorithms -> keys.algorithms()
                        .forEach(algorithm -> algorithms.add(SignatureAlgorithm.from(algorithm.getName()))))
                .build();
        decoder.setJwtValidator(TokenValidation.forIssuer(identity.issuerUri().toString()));
        return TokenValidation.remembering(decoder);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(IdentityProperties identity) {
        return AuthorizationServerSettings.builder().issuer(identity.issuerUri().toString()).build();
    }

    @Bean
    ConfiguredClients configuredClients(IdentityProperties identity) {
        return new ConfiguredClients(identity);
    }

    @Bean
    RegisteredClientRepository registeredClientRepository(ConfiguredClients clients) {
        if (clients.registeredClients().isEmpty()) {
            throw new IllegalStateException("polystore.identity.clients is empty: nobody could get a token. Register "
                    + "the platform's clients, or set " + IdentityProperties.EXTERNAL_ISSUER_PROPERTY + " to trust another issuer.");
        }
        return new InMemoryRegisteredClientRepository(clients.registeredClients());
    }

    @Bean
    UserDetailsService userDetailsService(IdentityProperties identity) {
        return ConfiguredUsers.from(identity);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> polystoreTokenCustomizer(SigningKeys keys, ConfiguredClients clients,
                                                                       MeterRegistry meters) {
        return new PolystoreTokenCustomizer(keys, clients, meters);
    }

    @Bean
    OAuth2AuthorizationService authorizationService() {
        return new ExpiringAuthorizationService(Clock.systemUTC(), MAX_AUTHORIZATIONS);
    }

    @Bean
    SignInEndpoints signInEndpoints(IdentityProperties identity, AuthorizationServerSettings settings) {
        String issuer = identity.issuerUri().toString().replaceAll("/+$", "");
        var endpoints = new SignInEndpoints.Endpoints(URI.create(issuer + settings.getAuthorizationEndpoint()),
                URI.create(issuer + settings.getTokenEndpoint()));
        return () -> Optional.of(endpoints);
    }

    @Bean
    @ConditionalOnProperty("polystore.identity.demo-tokens-directory")
    DemoTokenWriter demoTokenWriter(IdentityProperties identity, JwtEncoder encoder, SigningKeys keys) {
        return new DemoTokenWriter(identity, encoder, keys, Clock.systemUTC());
    }

    /** The OAuth2 and OIDC endpoints; a browser that is not signed in is sent to the sign-in page. */
    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerSecurityFilterChain(HttpSecurity http, SigningKeys keys, GatewayLimits limits) {
        SignatureAlgorithm idTokenAlgorithm = SignatureAlgorithm.from(keys.active().getAlgorithm().getName());
        http.oauth2AuthorizationServer(server -> {
                    http.securityMatcher(server.getEndpointsMatcher());
                    server.oidc(oidc -> oidc.providerConfigurationEndpoint(discovery -> discovery
                            .providerConfigurationCustomizer(metadata -> metadata.idTokenSigningAlgorithms(algorithms -> {
                                algorithms.clear();
                                algorithms.add(idTokenAlgorithm.getName());
                            }))));
                })
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()))
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"), browsers()))
                .addFilterAfter(new PrincipalRecorder(), SecurityContextHolderFilter.class)
                // By address, before the client authenticates: also what slows down guessing client secrets.
                .addFilterAfter(limits.rateLimitFilter(), CorsFilter.class);
        limits.applyTo(http);
        return http.build();
    }

    /** The sign-in page (and sign-out), with a session and CSRF protection, for the authorization code flow. */
    @Bean
    @Order(2)
    SecurityFilterChain signInSecurityFilterChain(HttpSecurity http, GatewayLimits limits) {
        http.securityMatcher("/login", "/logout", "/default-ui.css")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .formLogin(Customizer.withDefaults())
                .logout(Customizer.withDefaults())
                .addFilterAfter(new PrincipalRecorder(), SecurityContextHolderFilter.class)
                // By address, before the password is checked: what slows down password guessing.
                .addFilterAfter(limits.rateLimitFilter(), CorsFilter.class);
        limits.applyTo(http);
        return http.build();
    }

    private static MediaTypeRequestMatcher browsers() {
        MediaTypeRequestMatcher matcher = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        matcher.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return matcher;
    }
}
