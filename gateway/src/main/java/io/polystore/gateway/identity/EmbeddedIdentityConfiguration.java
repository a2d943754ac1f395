package io.polystore.gateway.identity;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.gateway.ConditionalOnEmbeddedIssuer;
import io.polystore.gateway.access.PrincipalRecorder;
import io.polystore.gateway.account.AccountProperties;
import io.polystore.gateway.account.AccountSignIn;
import io.polystore.gateway.account.Accounts;
import io.polystore.gateway.account.ReservedUsernames;
import io.polystore.gateway.identity.internal.ConfiguredClients;
import io.polystore.gateway.identity.internal.DemoTokenWriter;
import io.polystore.gateway.identity.internal.IdentityApiDocs;
import io.polystore.gateway.identity.internal.PolystoreTokenCustomizer;
import io.polystore.gateway.identity.internal.SharedAuthorizations;
import io.polystore.gateway.identity.internal.SigningKeys;
import io.polystore.gateway.identity.internal.TokenValidation;
import io.polystore.gateway.limits.GatewayLimits;
import io.polystore.servicedefaults.security.TokenProperties;
import io.polystore.servicedefaults.security.TokenRules;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
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
@ConditionalOnEmbeddedIssuer
class EmbeddedIdentityConfiguration {

    private static final String SIGN_IN_FAILED = SignInPage.PATH + "?error";

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
    JwtDecoder jwtDecoder(SigningKeys keys, IdentityProperties identity, TokenProperties tokens) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<>(keys.publicJwkSet()))
                .jwsAlgorithms(algorithms -> keys.algorithms()
                        .forEach(algorithm -> algorithms.add(SignatureAlgorithm.from(algorithm.getName()))))
                .build();
        decoder.setJwtValidator(TokenRules.forIssuer(identity.issuerUri().toString(), tokens.clockSkew()));
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

    /** The clients in the gateway's database, the configured ones written there (added or updated) at start-up. */
    @Bean
    RegisteredClientRepository registeredClientRepository(JdbcOperations jdbc, ConfiguredClients clients) {
        if (clients.registeredClients().isEmpty()) {
            throw new IllegalStateException("polystore.identity.clients is empty: nobody could get a token. Register "
                    + "the platform's clients, or set " + IdentityProperties.EXTERNAL_ISSUER_PROPERTY + " to trust another issuer.");
        }
        JdbcRegisteredClientRepository repository = new JdbcRegisteredClientRepository(jdbc);
        clients.registeredClients().forEach(client -> ConfiguredClients.store(repository, client));
        return repository;
    }

    /** A person named like a client would share the subject of that client's own tokens. */
    @Bean
    ReservedUsernames clientIds(RegisteredClientRepository clients) {
        return username -> clients.findByClientId(username) != null;
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> polystoreTokenCustomizer(SigningKeys keys, Accounts accounts,
                                                                       MeterRegistry meters) {
        return new PolystoreTokenCustomizer(keys, accounts::find, meters);
    }

    /** In the gateway's database, as every instance must see the same sign-ins, codes and refresh tokens. */
    @Bean
    OAuth2AuthorizationService authorizationService(JdbcOperations jdbc, RegisteredClientRepository clients) {
        return new SharedAuthorizations(jdbc, clients, Clock.systemUTC());
    }

    @Bean
    OAuth2AuthorizationConsentService authorizationConsentService(JdbcOperations jdbc, RegisteredClientRepository clients) {
        return new JdbcOAuth2AuthorizationConsentService(jdbc, clients);
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
    DemoTokenWriter demoTokenWriter(IdentityProperties identity, AccountProperties seed, Accounts accounts,
                                    JwtEncoder encoder, SigningKeys keys) {
        return new DemoTokenWriter(identity, seed, accounts::find, encoder, keys, Clock.systemUTC());
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
                        new LoginUrlAuthenticationEntryPoint(SignInPage.PATH), browsers()))
                .addFilterAfter(new PrincipalRecorder(), SecurityContextHolderFilter.class)
                // By address, before the client authenticates: also what slows down guessing client secrets.
                .addFilterAfter(limits.rateLimitFilter(), CorsFilter.class);
        limits.applyTo(http);
        return http.build();
    }

    /**
     * The sign-in page (and sign-out), with a session and CSRF protection, for the authorization code flow: passwords
     * checked against the accounts, with their lockout.
     */
    @Bean
    @Order(2)
    SecurityFilterChain signInSecurityFilterChain(HttpSecurity http, GatewayLimits limits, AccountSignIn signIn) {
        http.securityMatcher(SignInPage.PATH, "/logout")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .authenticationManager(signIn.authenticationManager())
                .formLogin(form -> form.loginPage(SignInPage.PATH).failureHandler(signIn.failureHandler(SIGN_IN_FAILED)))
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
