package io.polystore.gateway.identity;

import io.polystore.gateway.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code polystore.identity}: who issues the platform's tokens and, when the gateway does, with which keys and for
 * which clients (people's accounts: {@code polystore.accounts}).
 *
 * @param issuerUri                 the gateway's issuer identifier: the {@code iss} of its tokens and the base of its
 *                                  discovery document; what the services' {@code POLYSTORE_ISSUER_URI} must name
 * @param externalIssuerUri         when set, the gateway issues nothing and trusts this OIDC issuer instead
 * @param accessTokenTimeToLive     lifetime of access tokens (and so how long a retired signing key stays published)
 * @param refreshTokenTimeToLive    lifetime of refresh tokens (rotated at each use)
 * @param authorizationCodeTimeToLive lifetime of an authorization code
 * @param signingKeys               the signing keys; the first signs, the others stay in the JWK set so that tokens
 *                                  they signed verify until they expire
 * @param developmentKeyFile        for local development only: without signing keys, a key generated once and kept
 *                                  in this file
 * @param clients                   OAuth2 clients, by client id
 * @param demoTokensDirectory       for local development only: write a 12-hour access token per seeded account's
 *                                  role here at start-up ({@code <ROLE>.jwt})
 */
@Validated
@ConfigurationProperties("polystore.identity")
public record IdentityProperties(
        @DefaultValue("http://localhost:8080") @NotNull URI issuerUri,
        @Nullable URI externalIssuerUri,
        @DefaultValue("15m") @NotNull Duration accessTokenTimeToLive,
        @DefaultValue("8h") @NotNull Duration refreshTokenTimeToLive,
        @DefaultValue("2m") @NotNull Duration authorizationCodeTimeToLive,
        @DefaultValue List<@Valid SigningKey> signingKeys,
        @Nullable Path developmentKeyFile,
        @DefaultValue Map<String, @Valid Client> clients,
        @Nullable Path demoTokensDirectory) {

    /** The property that switches the gateway from issuing tokens to trusting another issuer. */
    public static final String EXTERNAL_ISSUER_PROPERTY = "polystore.identity.external-issuer-uri";

    public IdentityProperties {
        // An empty POLYSTORE_EXTERNAL_ISSUER_URI means none.
        if (externalIssuerUri != null && externalIssuerUri.toString().isBlank()) {
            externalIssuerUri = null;
        }
    }

    /**
     * A signing key, given inline as a JWK or PEM, or as the location of a file holding either.
     * A PEM holds a PKCS#8 private key ({@code BEGIN PRIVATE KEY}); an EC key also needs its {@code PUBLIC KEY} block.
     *
     * @param id       the key id ({@code kid}) tokens name it by; must be unique
     * @param jwk      the private key as a JWK (RSA or EC)
     * @param pem      the private key as PEM
     * @param location a file or classpath location holding a JWK or PEM ({@code file:/run/secrets/signing-key.pem})
     */
    public record SigningKey(@NotBlank String id, @Nullable String jwk, @Nullable String pem, @Nullable Resource location) {
    }

    /**
     * An OAuth2 client.
     *
     * @param secret         the client secret's hash (as for passwords); none for a public client, which must use
     *                       the authorization code grant with PKCE
     * @param grantTypes     {@code client_credentials} for machines; {@code authorization_code} (always with PKCE)
     *                       and {@code refresh_token} for applications acting for people
     * @param redirectUris   where the authorization code may be sent (authorization code clients)
     * @param scopes         scopes the client may ask for ({@code openid}, {@code profile}, ...)
     * @param roles          roles in the client's own tokens (client credentials only)
     * @param requireConsent whether people must approve the client's scopes on a consent page
     */
    public record Client(
            @Nullable String secret,
            @NotEmpty Set<GrantType> grantTypes,
            @DefaultValue Set<URI> redirectUris,
            @DefaultValue Set<String> scopes,
            @DefaultValue Set<Role> roles,
            @DefaultValue("false") boolean requireConsent) {
    }

    public enum GrantType {
        CLIENT_CREDENTIALS,
        AUTHORIZATION_CODE,
        REFRESH_TOKEN
    }
}
