package io.polystore.gateway.identity.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.polystore.gateway.identity.IdentityProperties.SigningKey;
import io.polystore.gateway.identity.IdentityProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeysTest {

    @Test
    void theFirstKeySignsAndEveryKeyIsPublishedWithoutItsPrivatePart() {
        SigningKeys keys = SigningKeys.load(identity(List.of(
                new SigningKey("2025-06", null, null, new ClassPathResource("keys/rsa-pkcs8.pem")),
                new SigningKey("test-key-previous", null, null, new ClassPathResource("keys/previous.jwk.json"))), null));

        assertThat(keys.active().getKeyID()).isEqualTo("2025-06");
        assertThat(keys.active().isPrivate()).isTrue();
        assertThat(keys.publicJwkSet().getKeys()).extracting(JWK::getKeyID).containsExactly("2025-06", "test-key-previous");
        assertThat(keys.publicJwkSet().getKeys()).noneMatch(JWK::isPrivate);
        assertThat(keys.algorithms()).containsExactly(JWSAlgorithm.RS256);
    }

    @Test
    void readsAnEcKeyFromPemWithItsPublicBlock() throws Exception {
        String pem = new ClassPathResource("keys/ec-p256.pem").getContentAsString(java.nio.charset.StandardCharsets.UTF_8);

        SigningKeys keys = SigningKeys.load(identity(List.of(new SigningKey("ec", null, pem, null)), null));

        assertThat(keys.active()).isInstanceOf(ECKey.class);
        assertThat(keys.algorithms()).containsExactly(JWSAlgorithm.ES256);
    }

    @Test
    void explainsHowToConvertAPkcs1Key() {
        assertThatThrownBy(() -> SigningKeys.load(identity(List.of(
                new SigningKey("old", null, null, new ClassPathResource("keys/rsa-pkcs1.pem"))), null)))
                .isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("polystore.identity.signing-keys[0]")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void refusesAPublicOnlyJwk() throws Exception {
        String publicOnly = new RSAKeyGenerator(2048).generate().toPublicJWK().toJSONString();

        assertThatThrownBy(() -> SigningKeys.load(identity(List.of(new SigningKey("k", publicOnly, null, null)), null)))
                .hasMessageContaining("holds no private key");
    }

    @Test
    void refusesAShortRsaKey() throws Exception {
        @SuppressWarnings("deprecation")
        String small = new RSAKeyGenerator(1024, true).generate().toJSONString();

        assertThatThrownBy(() -> SigningKeys.load(identity(List.of(new SigningKey("k", small, null, null)), null)))
                .hasMessageContaining("at least 2048 bits");
    }

    @Test
    void refusesAKeyIdThatDisagreesWithTheJwk() throws Exception {
        String jwk = new RSAKeyGenerator(2048).keyID("inside").generate().toJSONString();

        assertThatThrownBy(() -> SigningKeys.load(identity(List.of(new SigningKey("outside", jwk, null, null)), null)))
                .hasMessageContaining("differs from id");
    }

    @Test
    void refusesTwoKeysWithOneId() {
        var key = new SigningKey("same", null, null, new ClassPathResource("keys/rsa-pkcs8.pem"));

        assertThatThrownBy(() -> SigningKeys.load(identity(List.of(key, key), null)))
                .hasMessageContaining("signing-keys[1].id: 'same' is used by another key");
    }

    @Test
    void refusesAKeyGivenTwice() throws Exception {
        String jwk = new RSAKeyGenerator(2048).generate().toJSONString();

        assertThatThrownBy(() -> SigningKeys.load(identity(List.of(new SigningKey("k", jwk, "pem", null)), null)))
                .hasMessageContaining("exactly one of jwk, pem or location");
    }

    @Test
    void generatesADevelopmentKeyOnceAndKeepsIt(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("dev/key.json");

        JWK first = SigningKeys.load(identity(List.of(), file)).active();
        JWK second = SigningKeys.load(identity(List.of(), file)).active();

        assertThat(Files.exists(file)).isTrue();
        assertThat(second.getKeyID()).isEqualTo(first.getKeyID());
        assertThat(((RSAKey) second).toRSAPublicKey()).isEqualTo(((RSAKey) first).toRSAPublicKey());
    }

    @Test
    void gatewaysStartingTogetherSignWithTheSameDevelopmentKey(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("key.json");
        int gateways = 4;
        CyclicBarrier together = new CyclicBarrier(gateways);
        List<Callable<String>> starts = Collections.nCopies(gateways, () -> {
            together.await();
            return SigningKeys.load(identity(List.of(), file)).active().getKeyID();
        });

        try (ExecutorService executor = Executors.newFixedThreadPool(gateways)) {
            Set<String> keyIds = new HashSet<>();
            for (Future<String> keyId : executor.invokeAll(starts)) {
                keyIds.add(keyId.get());
            }
            assertThat(keyIds).hasSize(1);
        }
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).as("no half-made key left behind").containsExactly(file);
        }
    }

    @Test
    void refusesToGoOnWithoutAnyKey() {
        assertThatThrownBy(() -> SigningKeys.load(identity(List.of(), null)))
                .isInstanceOf(SigningKeyException.class)
                .hasMessage("No signing key is configured: the gateway cannot issue tokens.");
    }

    static IdentityProperties identity(List<SigningKey> keys, Path developmentKeyFile) {
        return new IdentityProperties(URI.create("http://localhost:8080"), null, Duration.ofMinutes(15),
                Duration.ofHours(8), Duration.ofMinutes(2), keys, developmentKeyFile, Map.of(), null);
    }
}
