package io.polystore.gateway.identity.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.polystore.gateway.identity.IdentityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's signing keys: the first signs every new token, all of them are published in the JWK set, so a key
 * that was just replaced still verifies the tokens it signed until they expire. Loaded from
 * {@code polystore.identity.signing-keys} (JWK or PEM), or, for local development, from a key file created once.
 */
public final class SigningKeys {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final int MIN_RSA_BITS = 2048;

    private final List<JWK> keys;

    private SigningKeys(List<JWK> keys) {
        this.keys = List.copyOf(keys);
    }

    public static SigningKeys load(IdentityProperties identity) {
        if (!identity.signingKeys().isEmpty()) {
            List<JWK> keys = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (int index = 0; index < identity.signingKeys().size(); index++) {
                IdentityProperties.SigningKey key = identity.signingKeys().get(index);
                String property = "polystore.identity.signing-keys[" + index + "]";
                if (!ids.add(key.id())) {
                    throw new SigningKeyException(property + ".id: '" + key.id() + "' is used by another key");
                }
                keys.add(withIdAndAlgorithm(parse(property, key), key.id(), property));
            }
            return new SigningKeys(keys);
        }
        if (identity.developmentKeyFile() != null) {
            return new SigningKeys(List.of(developmentKey(identity.developmentKeyFile())));
        }
        throw new SigningKeyException("No signing key is configured: the gateway cannot issue tokens.");
    }

    /** The key that signs new tokens, with its private part. */
    public JWK active() {
        return keys.getFirst();
    }

    /** Every key's public part, as published at the JWK set endpoint. */
    public JWKSet publicJwkSet() {
        return new JWKSet(keys.stream().map(JWK::toPublicJWK).toList());
    }

    /** The algorithms the keys sign with; tokens in any other algorithm are refused. */
    public Set<JWSAlgorithm> algorithms() {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        keys.forEach(key -> algorithms.add(JWSAlgorithm.parse(key.getAlgorithm().getName())));
        return algorithms;
    }

    private static JWK parse(String property, IdentityProperties.SigningKey key) {
        int sources = (key.jwk() != null ? 1 : 0) + (key.pem() != null ? 1 : 0) + (key.location() != null ? 1 : 0);
        if (sources != 1) {
            throw new SigningKeyException(property + ": give exactly one of jwk, pem or location");
        }
        String text;
        if (key.location() != null) {
            try {
                text = key.location().getContentAsString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new SigningKeyException(property + ".location: cannot read " + key.location(), e);
            }
        } else {
            text = key.jwk() != null ? key.jwk() : key.pem();
        }
        return text.strip().startsWith("{") ? parseJwk(property, text) : parsePem(property, text);
    }

    private static JWK parseJwk(String property, String json) {
        try {
            JWK jwk = JWK.parse(json);
            if (!jwk.isPrivate()) {
                throw new SigningKeyException(property + ": the JWK holds no private key");
            }
            return jwk;
        } catch (ParseException e) {
            throw new SigningKeyException(property + ": not a valid JWK: " + e.getMessage(), e);
        }
    }

    private static JWK parsePem(String property, String pem) {
        PrivateKey privateKey = null;
        PublicKey publicKey = null;
        Matcher block = PEM_BLOCK.matcher(pem);
        while (block.find()) {
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            switch (block.group(1)) {
                case "PRIVATE KEY" -> privateKey = decode(property, der, true);
                case "PUBLIC KEY" -> publicKey = decode(property, der, false);
                case "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" -> throw new SigningKeyException(property
                        + ": a " + block.group(1) + " block is not supported; convert it to an unencrypted PKCS#8 "
                        + "PRIVATE KEY with: openssl pkcs8 -topk8 -nocrypt -in key.pem");
                default -> {
                    // Certificates and other blocks are not needed.
                }
            }
        }
        if (privateKey instanceof RSAPrivateCrtKey rsa) {
            try {
                RSAPublicKey derived = (RSAPublicKey) KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
                return new RSAKey.Builder(derived).privateKey(rsa).build();
            } catch (GeneralSecurityException e) {
                throw new SigningKeyException(property + ": cannot derive the RSA public key", e);
            }
        }
        if (privateKey instanceof ECPrivateKey ec) {
            if (!(publicKey instanceof ECPublicKey ecPublic)) {
                throw new SigningKeyException(property + ": an EC key needs its PUBLIC KEY block next to the PRIVATE KEY "
                        + "(openssl pkey -in key.pem -pubout >> key.pem)");
            }
            return new ECKey.Builder(Curve.forECParameterSpec(ecPublic.getParams()), ecPublic).privateKey(ec).build();
        }
        throw new SigningKeyException(property + ": no PKCS#8 PRIVATE KEY block (RSA or EC) found");
    }

    private static <K> K decode(String property, byte[] der, boolean isPrivate) {
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                KeyFactory factory = KeyFactory.getInstance(algorithm);
                @SuppressWarnings("unchecked")
                K key = (K) (isPrivate ? factory.generatePrivate(new PKCS8EncodedKeySpec(der))
                        : factory.generatePublic(new X509EncodedKeySpec(der)));
                return key;
            } catch (GeneralSecurityException e) {
                // Try the next algorithm.
            }
        }
        throw new SigningKeyException(property + ": the " + (isPrivate ? "private" : "public") + " key is neither RSA nor EC");
    }

    private static JWK withIdAndAlgorithm(JWK key, String id, String property) {
        if (key.getKeyID() != null && !key.getKeyID().equals(id)) {
            throw new SigningKeyException(property + ": the JWK's kid '" + key.getKeyID() + "' differs from id '" + id + "'");
        }
        return switch (key) {
            case RSAKey rsa -> {
                if (rsa.size() < MIN_RSA_BITS) {
                    throw new SigningKeyException(property + ": an RSA key needs at least " + MIN_RSA_BITS + " bits, this one has "
                            + rsa.size());
                }
                yield new RSAKey.Builder(rsa).keyID(id).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).build();
            }
            case ECKey ec -> {
                JWSAlgorithm algorithm = Map.of(Curve.P_256, JWSAlgorithm.ES256, Curve.P_384, JWSAlgorithm.ES384,
                        Curve.P_521, JWSAlgorithm.ES512).get(ec.getCurve());
                if (algorithm == null) {
                    throw new SigningKeyException(property + ": EC curve " + ec.getCurve() + " is not supported; use P-256, P-384 or P-521");
                }
                yield new ECKey.Builder(ec).keyID(id).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).build();
            }
            default -> throw new SigningKeyException(property + ": only RSA and EC keys can sign tokens, not " + key.getKeyType());
        };
    }

    private static JWK developmentKey(Path file) {
        try {
            if (Files.notExists(file)) {
                createDevelopmentKey(file);
            }
            log.warn("Signing tokens with the development key in {}: configure polystore.identity.signing-keys "
                    + "anywhere but on a developer's machine", file.toAbsolutePath());
            JWK key = JWK.parse(Files.readString(file));
            return withIdAndAlgorithm(key, key.getKeyID(), "polystore.identity.development-key-file");
        } catch (IOException | ParseException | JOSEException e) {
            throw new SigningKeyException("Cannot read or create the development signing key " + file.toAbsolutePath(), e);
        }
    }

    /**
     * Gateway instances started side by side ({@code ./polystore --replicas 2}) must sign with the same key: the key
     * is written whole to a file of its own and linked in under its name, which fails for all but the first instance.
     */
    private static void createDevelopmentKey(Path file) throws IOException, JOSEException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        RSAKey generated = new RSAKeyGenerator(MIN_RSA_BITS).keyID("dev-" + UUID.randomUUID())
                .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
        Path candidate = Files.createTempFile(directory, file.getFileName().toString(), ".new");
        try {
            if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(candidate, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(candidate, generated.toJSONString());
            Files.createLink(file.toAbsolutePath(), candidate);
        } catch (FileAlreadyExistsException anotherInstanceWasFirst) {
            // Its key is the one to sign with.
        } finally {
            Files.deleteIfExists(candidate);
        }
    }
}
