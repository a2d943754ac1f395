package io.polystore.e2e.load;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Many customers for a load run. The gateway's demo users are five; a saga under load should meet many customers
 * (each with its own personal-data key and rate limit), so their tokens are signed with the local platform's
 * development key ({@code gateway-signing-key.json} in its data directory), with exactly the claims of the tokens the
 * gateway writes for its demo users (issuer, audience, roles, client id), for subjects {@code load-customer-NNN}.
 */
public final class LoadCustomers {

    private LoadCustomers() {
    }

    /** One token per customer, valid for {@code lifetime}. */
    public static List<String> tokens(Path developmentKeyFile, URI issuer, int customers, Duration lifetime) {
        try {
            JWK key = JWK.parse(Files.readString(developmentKeyFile));
            RSASSASigner signer = new RSASSASigner(key.toRSAKey());
            Instant now = Instant.now();
            return IntStream.rangeClosed(1, customers).mapToObj(number -> {
                JWTClaimsSet claims = new JWTClaimsSet.Builder()
                        .issuer(issuer.toString())
                        .subject("load-customer-%03d".formatted(number))
                        .audience("polystore")
                        .issueTime(Date.from(now))
                        .notBeforeTime(Date.from(now))
                        .expirationTime(Date.from(now.plus(lifetime)))
                        .jwtID(UUID.randomUUID().toString())
                        .claim("client_id", "demo-tokens")
                        .claim("roles", List.of("CUSTOMER"))
                        .build();
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
                try {
                    jwt.sign(signer);
                } catch (JOSEException e) {
                    throw new IllegalStateException("Cannot sign a load customer's token", e);
                }
                return jwt.serialize();
            }).toList();
        } catch (IOException | ParseException | JOSEException e) {
            throw new IllegalStateException("Cannot read the gateway's development key " + developmentKeyFile, e);
        }
    }
}
