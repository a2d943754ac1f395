package io.polystore.sync.postgres;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.EventCodec;
import io.polystore.servicedefaults.messaging.MessagingProperties;
import io.polystore.sync.SyncProperties;
import io.polystore.sync.postgres.internal.OutboxChangeEvents;
import io.polystore.sync.relay.ExclusiveRelayRunner;
import io.polystore.sync.relay.OutboxPublisher;
import io.polystore.sync.relay.RelayMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "polystore.sync.postgres.enabled", matchIfMissing = true)
class PostgresRelayConfiguration {

    @Bean
    PostgresOutboxRelay postgresOutboxRelay(SyncProperties properties, KafkaConnectionDetails kafka,
                                            KafkaProperties kafkaProperties, ObjectProvider<SslBundles> sslBundles,
                                            MessagingProperties messaging, EventCodec codec, OutboxPublisher publisher) {
        return new PostgresOutboxRelay(properties.postgres(), offsetStoreClient(kafka, kafkaProperties, sslBundles),
                messaging.replicationFactor(), new OutboxChangeEvents(codec), publisher);
    }

    /**
     * Debezium's offset store reaches Kafka as the service's own clients do: its brokers, security protocol,
     * {@code spring.kafka.properties.*} (SASL, a PEM trust store) and the trusted certificates of the SSL bundle
     * {@code spring.kafka.ssl.bundle}. Debezium takes text properties only, so the bundle's trust store is handed on
     * as PEM text ({@code ssl.truststore.certificates}); its key store is not (the brokers ask for no client
     * certificate).
     */
    static Map<String, String> offsetStoreClient(KafkaConnectionDetails kafka, KafkaProperties kafkaProperties,
                                                 ObjectProvider<SslBundles> sslBundles) {
        Map<String, String> client = new LinkedHashMap<>(kafkaProperties.getProperties());
        if (kafkaProperties.getSecurity().getProtocol() != null) {
            client.put("security.protocol", kafkaProperties.getSecurity().getProtocol());
        }
        String bundle = kafkaProperties.getSsl().getBundle();
        if (StringUtils.hasText(bundle)) {
            client.put("ssl.truststore.type", "PEM");
            client.put("ssl.truststore.certificates", pem(sslBundles.getObject().getBundle(bundle).getStores().getTrustStore()));
        }
        client.put("bootstrap.servers", String.join(",", kafka.getBootstrapServers()));
        return client;
    }

    /** The trusted certificates of a trust store, as PEM text. */
    private static String pem(KeyStore trustStore) {
        if (trustStore == null) {
            throw new IllegalStateException("spring.kafka.ssl.bundle names a bundle without a trust store");
        }
        StringBuilder pem = new StringBuilder();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[]{'\n'});
        try {
            for (String alias : Collections.list(trustStore.aliases())) {
                if (trustStore.getCertificate(alias) instanceof Certificate certificate && trustStore.isCertificateEntry(alias)) {
                    pem.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(certificate.getEncoded()))
                            .append("\n-----END CERTIFICATE-----\n");
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the trust store of spring.kafka.ssl.bundle: " + e.getMessage(), e);
        }
        return pem.toString();
    }

    @Bean
    ExclusiveRelayRunner postgresRelayRunner(PostgresOutboxRelay relay, ExclusiveRelayRunner.LockDatabase lockDatabase,
                                             SyncProperties properties, RelayMetrics metrics) {
        return new ExclusiveRelayRunner(relay, lockDatabase, properties.leadership().retryInterval(),
                properties.leadership().checkInterval(), metrics);
    }

    @Bean
    WalRetentionGauge walRetentionGauge(SyncProperties properties, MeterRegistry registry) {
        return new WalRetentionGauge(properties.postgres(), Clock.systemUTC(), registry);
    }
}
