package io.polystore.servicedefaults.region;

import io.polystore.events.EventEnvelope;
import io.polystore.events.RegionAnnounced;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The other regions this region knows: those configured ({@code polystore.region.peers} and {@code .gateways}, known
 * from the start) and every region that announced itself since, so that a region added at run time becomes a peer of
 * the running ones without configuring or restarting them. At start this service announces its own region
 * ({@link RegionAnnounced} on {@code regions}, compacted, keyed by region, tried again until Kafka takes it); then it
 * reads every mirrored {@code <region>.regions} topic in this region's Kafka, from the beginning, looking for new ones
 * every {@link #DISCOVERY_INTERVAL}. Each instance reads them all itself (assigned partitions, no consumer group): every
 * instance needs every region. An announcement only adds a region; none is ever forgotten while the service runs (a
 * region that is down is still a region: its transfers are owed, its customers' tokens still valid).
 *
 * <p>Consumers of the peers' mirrored topics subscribe by pattern ({@link Topics#mirroredFromAnyRegion}) with
 * {@link #PATTERN_METADATA_MAX_AGE}, so that they take a new region's topic within seconds too.
 */
public final class KnownRegions implements SmartLifecycle {

    /** How often the mirrored announcement topics are listed, and announcing tried again. */
    public static final Duration DISCOVERY_INTERVAL = Duration.ofSeconds(2);
    /**
     * For a listener subscribed by pattern: its consumer sees a new matching topic at its next metadata refresh,
     * five minutes by default; every 5 s here (one metadata request per consumer, a few bytes).
     */
    public static final String PATTERN_METADATA_MAX_AGE = "metadata.max.age.ms=5000";

    /** A region and its gateway (its tokens' issuer), when known. */
    public record Region(String name, @Nullable URI gateway) {
    }

    private static final Logger log = LoggerFactory.getLogger(KnownRegions.class);
    private static final Pattern ANNOUNCEMENTS = Pattern.compile(Topics.mirroredFromAnyRegion(Topics.REGIONS));

    private final RegionProperties region;
    private final String source;
    private final ObjectProvider<ConsumerFactory<String, byte[]>> consumers;
    private final ObjectProvider<KafkaTemplate<String, byte[]>> producer;
    private final ObjectProvider<KafkaEventBinding> binding;
    private final Clock clock;
    /** The regions announced, by name, with their gateway when they listed it: only ever added to. */
    private final Map<String, Optional<URI>> announced = new ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<Region>> joinListeners = new CopyOnWriteArrayList<>();
    private volatile @Nullable Thread discovery;
    private volatile @Nullable Consumer<String, byte[]> consumer;
    private volatile boolean running;

    public KnownRegions(RegionProperties region, String serviceName, ObjectProvider<ConsumerFactory<String, byte[]>> consumers,
                        ObjectProvider<KafkaTemplate<String, byte[]>> producer, ObjectProvider<KafkaEventBinding> binding,
                        Clock clock) {
        this.region = region;
        this.source = "/" + serviceName;
        this.consumers = consumers;
        this.producer = producer;
        this.binding = binding;
        this.clock = clock;
    }

    /** This region's name. */
    public String name() {
        return region.name();
    }

    /** The other regions: the configured peers first, then those announced, by name. Never this region. */
    public List<String> peers() {
        List<String> peers = new ArrayList<>(region.peers());
        new TreeMap<>(announced).keySet().stream().filter(Predicate.not(peers::contains)).forEach(peers::add);
        return List.copyOf(peers);
    }

    /** Whether {@code name} is another region, configured or announced. */
    public boolean isPeer(String name) {
        return region.isPeer(name) || announced.containsKey(name);
    }

    /** The gateway of another region: the configured one, else the one it announced. */
    public Optional<URI> gatewayOf(String name) {
        return region.gatewayOf(name).or(() -> name.equals(region.name()) ? Optional.empty()
                : announced.getOrDefault(name, Optional.empty()));
    }

    /** Every other region's gateway known: configured, then announced. */
    public Map<String, URI> otherGateways() {
        Map<String, URI> gateways = new LinkedHashMap<>(region.otherGateways());
        new TreeMap<>(announced).forEach((name, gateway) -> gateway.ifPresent(url -> gateways.putIfAbsent(name, url)));
        return gateways;
    }

    /**
     * Tells {@code listener} of every region announced from now on that was not known before (once each, on the
     * discovery thread: it must not block).
     */
    public void onJoin(java.util.function.Consumer<Region> listener) {
        joinListeners.add(listener);
    }

    /** Takes an announcement of another region, telling the join listeners when it is new or its gateway changed. */
    void learn(RegionAnnounced announcement) {
        String name = announcement.region();
        if (name.equals(region.name()) || !name.matches(RegionProperties.NAME)) {
            return;
        }
        Optional<URI> gateway = Optional.ofNullable(announcement.gatewayUrl()).map(URI::create);
        Optional<URI> before = announced.put(name, gateway);
        if (gateway.equals(before)) {
            return;
        }
        boolean known = region.isPeer(name) || before != null;
        log.info("Region {} announced (gateway {}){}", name, gateway.map(URI::toString).orElse("not listed"),
                known ? "" : ": a new peer of " + region.name());
        Region joined = new Region(name, gatewayOf(name).orElse(null));
        joinListeners.forEach(listener -> {
            try {
                listener.accept(joined);
            } catch (RuntimeException e) {
                log.warn("A listener failed to take region {}", name, e);
            }
        });
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        ConsumerFactory<String, byte[]> factory = consumers.getIfAvailable();
        if (factory == null || binding.getIfAvailable() == null) {
            log.info("No Kafka here: the regions known are the configured ones only");
            return;
        }
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = factory.createConsumer(null, "known-regions", null, overrides);
        running = true;
        discovery = Thread.ofPlatform().daemon().name("known-regions").start(this::discover);
    }

    @Override
    public synchronized void stop() {
        running = false;
        Consumer<String, byte[]> reading = consumer;
        if (reading != null) {
            reading.wakeup();
        }
        Thread thread = discovery;
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        discovery = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void discover() {
        Consumer<String, byte[]> reading = consumer;
        boolean announcedHere = false;
        Set<TopicPartition> assigned = new HashSet<>();
        try (reading) {
            while (running) {
                try {
                    if (!announcedHere) {
                        announcedHere = announce();
                    }
                    Set<TopicPartition> partitions = announcementPartitions(reading);
                    if (!partitions.equals(assigned)) {
                        Set<TopicPartition> added = new HashSet<>(partitions);
                        added.removeAll(assigned);
                        reading.assign(partitions);
                        reading.seekToBeginning(added);
                        assigned = partitions;
                    }
                    if (assigned.isEmpty()) {
                        TimeUnit.MILLISECONDS.sleep(DISCOVERY_INTERVAL.toMillis());
                        continue;
                    }
                    for (ConsumerRecord<String, byte[]> record : reading.poll(DISCOVERY_INTERVAL)) {
                        take(record);
                    }
                } catch (WakeupException | InterruptedException stopping) {
                    return;
                } catch (RuntimeException e) {
                    log.warn("Looking for regions announced failed; trying again in {}", DISCOVERY_INTERVAL, e);
                    try {
                        TimeUnit.MILLISECONDS.sleep(DISCOVERY_INTERVAL.toMillis());
                    } catch (InterruptedException stopping) {
                        return;
                    }
                }
            }
        }
    }

    /** This region's announcement, with its own gateway when listed; whether Kafka took it. */
    private boolean announce() {
        KafkaTemplate<String, byte[]> template = producer.getIfAvailable();
        if (template == null) {
            return true;
        }
        String gateway = Optional.ofNullable(region.gateways().get(region.name())).map(URI::toString).orElse(null);
        RegionAnnounced announcement = new RegionAnnounced(region.name(), gateway, clock.instant());
        try {
            template.send(binding.getObject().toProducerRecord(EventEnvelope.of(announcement, source, clock)))
                    .get(10, TimeUnit.SECONDS);
            log.info("Announced region {} (gateway {})", region.name(), gateway == null ? "not listed" : gateway);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("Announcing region {} failed; trying again in {}", region.name(), DISCOVERY_INTERVAL, e);
            return false;
        }
    }

    private Set<TopicPartition> announcementPartitions(Consumer<String, byte[]> reading) {
        Set<TopicPartition> partitions = new HashSet<>();
        for (Map.Entry<String, List<PartitionInfo>> topic : reading.listTopics(Duration.ofSeconds(10)).entrySet()) {
            if (ANNOUNCEMENTS.matcher(topic.getKey()).matches() && !topic.getKey().equals(Topics.mirrored(region.name(), Topics.REGIONS))) {
                topic.getValue().forEach(partition -> partitions.add(new TopicPartition(partition.topic(), partition.partition())));
            }
        }
        return partitions;
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        try {
            if (binding.getObject().fromConsumerRecord(record).data() instanceof RegionAnnounced announcement) {
                learn(announcement);
            }
        } catch (RuntimeException e) {
            log.warn("Skipped an unreadable record of {} (partition {}, offset {})", record.topic(), record.partition(),
                    record.offset(), e);
        }
    }
}
