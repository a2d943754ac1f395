package io.polystore.servicedefaults.region;

import io.polystore.events.EventEnvelope;
import io.polystore.events.RegionAnnounced;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.servicedefaults.sample.SampleApplication;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.jwt.TestTokenIssuer;
import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import io.polystore.testkit.spring.UseTestTokens;
import io.polystore.servicedefaults.security.TokenRules;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A region that joins while the service runs: the service announces its own region at start, and takes a region
 * announced on a mirrored {@code <region>.regions} topic (produced here, standing in for that region's services and
 * MirrorMaker) as a peer within seconds, its gateway's tokens trusted from then on, without a restart.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.application.name=sample-service", "polystore.region.name=" + KnownRegionsIT.OWN,
                "polystore.region.peers=" + KnownRegionsIT.CONFIGURED})
@UsePostgres(database = "sample")
@UseKafka
@UseTestTokens
class KnownRegionsIT {

    /** Names of this run only: the tests' Kafka is shared, and its topics outlive a test class. */
    static final String OWN = "own-" + "k1";
    static final String CONFIGURED = "configured-k2";
    private static final String JOINING = "joining-" + UUID.randomUUID().toString().substring(0, 8);
    private static final TestTokenIssuer joiningGateway = TestTokenIssuer.start();
    private static final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;
    @Autowired
    KnownRegions known;
    @Autowired
    KafkaTemplate<String, byte[]> kafka;
    @Autowired
    KafkaEventBinding binding;

    @AfterAll
    static void stopIssuer() {
        joiningGateway.close();
    }

    @Test
    void theServiceAnnouncesItsOwnRegionAtStart() {
        List<RegionAnnounced> announced = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.REGIONS).stream()
                        .map(partition -> new TopicPartition(Topics.REGIONS, partition.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (binding.fromConsumerRecord(record).data() instanceof RegionAnnounced announcement
                            && announcement.region().equals(OWN)) {
                        assertThat(record.key()).isEqualTo("region:" + OWN);
                        announced.add(announcement);
                    }
                }
                return !announced.isEmpty();
            });
        }
        assertThat(announced.getFirst().gatewayUrl()).as("its own gateway is not listed here").isNull();
    }

    @Test
    void aRegionAnnouncedWhileTheServiceRunsBecomesAPeerAndItsGatewaysTokensAreTrusted() throws Exception {
        String token = joiningGateway.token(claims -> claims.subject("dave").claim("roles", List.of("CUSTOMER"))
                .claim(TokenRules.HOME_REGION_CLAIM, JOINING));
        assertThat(known.peers()).containsExactly(CONFIGURED);
        assertThat(known.isPeer(JOINING)).isFalse();
        assertThat(get(token).statusCode()).as("a gateway of no region known").isEqualTo(401);

        // MirrorMaker creates the mirrored topic at its first pass over the joining region's topics.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedServers.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.mirrored(JOINING, Topics.REGIONS), 1, (short) 1))).all().get();
        }
        // As MirrorMaker writes the joining region's announcement here: its topic prefixed by the region, its headers.
        ProducerRecord<String, byte[]> own = binding.toProducerRecord(EventEnvelope.of(
                new RegionAnnounced(JOINING, joiningGateway.issuer(), Instant.now()), "/test", Clock.systemUTC()));
        kafka.send(new ProducerRecord<>(Topics.mirrored(JOINING, Topics.REGIONS), null, own.key(), own.value(),
                own.headers())).get();
        long announcedAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> known.isPeer(JOINING));
        double seen = (System.nanoTime() - announcedAt) / 1e9;
        assertThat(known.peers()).startsWith(CONFIGURED).contains(JOINING);
        assertThat(known.gatewayOf(JOINING)).contains(URI.create(joiningGateway.issuer()));
        assertThat(known.otherGateways()).containsEntry(JOINING, URI.create(joiningGateway.issuer()));

        await().atMost(Duration.ofSeconds(30)).until(() -> get(token).statusCode() == 200);
        double trusted = (System.nanoTime() - announcedAt) / 1e9;
        assertThat(get(token).body()).contains("dave");
        System.out.printf("Region %s announced: a peer after %.2f s, its gateway's token accepted after %.2f s%n",
                JOINING, seen, trusted);
    }

    private HttpResponse<String> get(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/greetings"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
