package io.polystore.sync.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/** The relays' metrics, tagged with their {@code source} ({@code postgres}, {@code surrealdb}). */
public final class RelayMetrics {

    private final MeterRegistry registry;

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Creates the source's counters at zero, so that a dashboard or alert finds them before the first dead letter or
     * error, and tells "none" from "not measured".
     */
    void register(String source) {
        deadLetteredCounter(source);
        errorCounter(source);
    }

    /** Time from the store's commit to Kafka's acknowledgement. */
    void lag(String source, Duration lag) {
        Timer.builder("polystore.sync.cdc.lag")
                .description("Time from the store's commit of an outbox entry to Kafka's acknowledgement of its record")
                .tag("source", source)
                .publishPercentileHistogram()
                .register(registry)
                .record(lag.isNegative() ? Duration.ZERO : lag);
    }

    void relayed(String source, String topic) {
        Counter.builder("polystore.sync.events.relayed").description("Events published to Kafka")
                .tag("source", source).tag("topic", topic).register(registry).increment();
    }

    void deadLettered(String source) {
        deadLetteredCounter(source).increment();
    }

    /** A failed attempt to read or publish; the relay retries. */
    public void error(String source) {
        errorCounter(source).increment();
    }

    private Counter deadLetteredCounter(String source) {
        return Counter.builder("polystore.sync.events.dead.lettered").description("Malformed outbox entries sent to the dead-letter topic")
                .tag("source", source).register(registry);
    }

    private Counter errorCounter(String source) {
        return Counter.builder("polystore.sync.relay.errors").description("Failed attempts to read a change log or publish to Kafka")
                .tag("source", source).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }
}
