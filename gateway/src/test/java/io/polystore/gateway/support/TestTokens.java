package io.polystore.gateway.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Mints tokens the way the gateway does, with the test signing keys it is configured with
 * ({@code keys/active.jwk.json} signs, {@code keys/previous.jwk.json} is the retired key), or with keys it does
 * not know, for attacks.
 */
public final class TestTokens {

    public static final String ISSUER = "http://localhost:8080";
    public static final RSAKey ACTIVE = load("keys/active.jwk.json");
    public static final RSAKey PREVIOUS = load("keys/previous.jwk.json");

    private TestTokens() {
    }

    /** A valid access token for {@code subject} with {@code roles}, issued to client {@code test-client}. */
    public static String valid(String subject, String... roles) {
        return signed(ACTIVE, claims -> claims.subject(subject).claim("roles", List.of(roles)));
    }

    /** Valid claims (issuer, audience, 5 minutes' lifetime, client), changed by {@code change}, signed by {@code key}. */
    public static String signed(RSAKey key, UnaryOperator<JWTClaimsSet.Builder> change) {
        return sign(key, change.apply(validClaims()).build());
    }

    public static JWTClaimsSet.Builder validClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience("polystore")
                .subject("someone")
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString())
                .claim("client_id", "test-client")
                .claim("roles", List.of());
    }

    public static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey unknownKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey load(String resource) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(resource)) {
            return RSAKey.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
