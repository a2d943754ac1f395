package io.polystore.testkit.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Mints signed JWTs for any user and roles, and publishes its public key as a JWK set (plus a minimal OIDC
 * discovery document) over HTTP, so services under test verify tokens exactly as they do in production.
 */
public final class TestTokenIssuer implements AutoCloseable {

    public static final String AUDIENCE = "polystore";
    public static final String ROLES_CLAIM = "roles";
    private static final String JWKS_PATH = "/.well-known/jwks.json";

    private final RSAKey signingKey;
    private final HttpServer server;
    private final String issuer;
    private final AtomicInteger keySetReads = new AtomicInteger();

    private TestTokenIssuer(RSAKey signingKey, HttpServer server) {
        this.signingKey = signingKey;
        this.server = server;
        this.issuer = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A fresh RSA key and a JWK set endpoint on a free loopback port. */
    public static TestTokenIssuer start() {
        return start(newRsaKey(), 0);
    }

    private static TestTokenIssuer start(RSAKey key, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            TestTokenIssuer issuer = new TestTokenIssuer(key, server);
            server.createContext(JWKS_PATH, exchange -> {
                issuer.keySetReads.incrementAndGet();
                respond(exchange, new JWKSet(key.toPublicJWK()).toString());
            });
            server.createContext("/.well-known/openid-configuration", exchange -> respond(exchange,
                    "{\"issuer\":\"" + issuer.issuer() + "\",\"jwks_uri\":\"" + issuer.jwkSetUri() + "\"}"));
            server.start();
            return issuer;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the token issuer's JWK set endpoint on port " + port, e);
        }
    }

    public String issuer() {
        return issuer;
    }

    public URI jwkSetUri() {
        return URI.create(issuer + JWKS_PATH);
    }

    /** How often its JWK set was read: to see that a service fetched the keys without being shown a token. */
    public int keySetReads() {
        return keySetReads.get();
    }

    /** A valid access token for {@code subject} holding {@code roles} (without the {@code ROLE_} prefix). */
    public String tokenFor(String subject, String... roles) {
        return token(claims -> claims.subject(subject).claim(ROLES_CLAIM, List.of(roles)));
    }

    /** A token from the valid defaults (issuer, audience, 15 minutes' lifetime), changed by {@code customizer}. */
    public String token(UnaryOperator<JWTClaimsSet.Builder> customizer) {
        return sign(customizer.apply(defaultClaims()).build(), signingKey);
    }

    /** The same claims signed by a key nobody trusts, for testing that services reject it. */
    public String tokenSignedByUnknownKey(String subject, String... roles) {
        return sign(defaultClaims().subject(subject).claim(ROLES_CLAIM, List.of(roles)).build(), newRsaKey());
    }

    private JWTClaimsSet.Builder defaultClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject("test-user")
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(15))))
                .jwtID(UUID.randomUUID().toString())
                .claim(ROLES_CLAIM, List.of());
    }

    private static String sign(JWTClaimsSet claims, RSAKey key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign test token", e);
        }
    }

    private static RSAKey newRsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot generate RSA key", e);
        }
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
