package io.polystore.deployment.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Tokens signed with a deployment's gateway key, as the gateway signs them but with claims of the test's choosing:
 * to show that the services check more than the signature (the issuer).
 */
public final class GatewayKeyTokens {

    private GatewayKeyTokens() {
    }

    /**
     * @param pem   the gateway's signing key as the deployment gives it (unencrypted PKCS#8 RSA PEM)
     * @param keyId its id ({@code kid}), as the deployment names it
     * @return a CUSTOMER's access token for the audience {@code polystore}, valid for five minutes
     */
    public static String customerToken(String pem, String keyId, String subject, String issuer) {
        try {
            byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", ""));
            RSAPrivateKey key = (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            Instant now = Instant.now();
            SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(),
                    new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience("polystore")
                            .claim("roles", List.of("CUSTOMER")).issueTime(Date.from(now))
                            .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString()).build());
            token.sign(new RSASSASigner(key));
            return token.serialize();
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("Cannot sign with the gateway's key " + keyId, e);
        }
    }
}
