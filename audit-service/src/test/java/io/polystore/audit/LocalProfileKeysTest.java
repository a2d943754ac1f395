package io.polystore.audit;

import io.polystore.audit.chain.CheckpointProperties;
import io.polystore.audit.chain.CheckpointSigner;
import io.polystore.audit.crypto.EncryptionProperties;
import io.polystore.audit.crypto.PersonalDataCipher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The key material shipped for ./polystore (and for the tests) is usable, so the local platform starts. */
class LocalProfileKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"application-local.yml", "application-test.yml"})
    void theShippedKeysEncryptAndSign(String file) throws Exception {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource(file));
        Properties properties = yaml.getObject();

        PersonalDataCipher cipher = new PersonalDataCipher(new EncryptionProperties(
                properties.getProperty("polystore.audit.encryption.keyset"),
                properties.getProperty("polystore.audit.encryption.index-keyset")));
        CheckpointSigner signer = new CheckpointSigner(new CheckpointProperties(
                properties.getProperty("polystore.audit.checkpoints.signing-key"), null, 1000, Duration.ofSeconds(30)));

        byte[] ciphertext = cipher.encrypt("alice".getBytes(StandardCharsets.UTF_8), "e-1");
        assertThat(new String(cipher.decrypt(ciphertext, "e-1"), StandardCharsets.UTF_8)).isEqualTo("alice");
        assertThat(signer.problemWith(signer.sign(1, new byte[32], java.time.Instant.now()))).isNull();
        assertThat(properties.getProperty("polystore.audit.database.app-password")).isNotBlank();
    }
}
