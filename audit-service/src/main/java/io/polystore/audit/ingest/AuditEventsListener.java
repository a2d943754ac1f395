package io.polystore.audit.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.polystore.audit.chain.AuditEntry;
import io.polystore.audit.chain.AuditTrail;
import io.polystore.audit.chain.ChainRecord;
import io.polystore.events.EventDecodingException;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Consumes {@code audit.events} in batches and appends each batch to the trail in one transaction. A record that
 * cannot be decoded ends the batch there: the records before it are stored first, then it is named in a
 * {@link BatchListenerFailedException}, so the error handler commits the offsets before it, sends it alone to the
 * dead-letter topic and delivers the records after it again.
 */
@Component
class AuditEventsListener {

    private final KafkaEventBinding binding;
    private final AuditTrail trail;
    private final Counter stored;
    private final Counter duplicates;
    private final Timer lag;

    AuditEventsListener(KafkaEventBinding binding, AuditTrail trail, MeterRegistry meters) {
        this.binding = binding;
        this.trail = trail;
        this.stored = Counter.builder("audit.ingest.records").description("Audit records stored")
                .baseUnit("records").register(meters);
        this.duplicates = Counter.builder("audit.ingest.duplicates")
                .description("Redelivered audit events that were already stored").baseUnit("events").register(meters);
        this.lag = Timer.builder("audit.ingest.lag").description("From the event's time until its record was stored")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(meters);
    }

    @KafkaListener(id = "audit-events", topics = Topics.AUDIT_EVENTS,
            containerFactory = IngestConfiguration.CONTAINER_FACTORY)
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        List<AuditEntry> entries = new ArrayList<>(records.size());
        for (int index = 0; index < records.size(); index++) {
            try {
                entries.add(AuditEntries.from(binding.fromConsumerRecord(records.get(index))));
            } catch (EventDecodingException unreadable) {
                append(entries);
                throw new BatchListenerFailedException(unreadable.getMessage(), unreadable, index);
            }
        }
        append(entries);
    }

    private void append(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        AuditTrail.Appended appended = trail.append(entries);
        stored.increment(appended.stored().size());
        duplicates.increment(appended.duplicates());
        Map<String, AuditEntry> byId = new HashMap<>();
        entries.forEach(entry -> byId.put(entry.eventId(), entry));
        for (ChainRecord record : appended.stored()) {
            Duration sinceEvent = Duration.between(byId.get(record.eventId()).eventTime(), record.recordedAt());
            lag.record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
        }
    }
}
