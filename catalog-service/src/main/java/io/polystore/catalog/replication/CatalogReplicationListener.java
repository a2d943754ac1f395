package io.polystore.catalog.replication;

import io.polystore.events.EventEnvelope;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.servicedefaults.region.RegionProperties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * In a region that holds a replica of the catalog (and only there: the catalog region does not read its own states),
 * takes the catalog region's {@code catalog.replication} as MirrorMaker 2 mirrors it here,
 * {@code <catalog region>.catalog.replication}, from its beginning: a compacted topic whose every record's latest state
 * is the whole catalog, so a region that joins later catches up from it. Consumer group {@code catalog-service} (the
 * service's, {@code spring.kafka.consumer.group-id}); the platform's error handler retries a state that fails and
 * dead-letters it after {@code polystore.kafka.retry-for}, as for every listener. MessagingDefaults declares the mirrored
 * topic in a replica region, so that this consumer has it to subscribe to before MirrorMaker's first pass.
 */
@Component
@Conditional(ReplicaRegion.class)
class CatalogReplicationListener {

    private static final Logger log = LoggerFactory.getLogger(CatalogReplicationListener.class);

    private final KafkaEventBinding binding;
    private final CatalogReplica replica;
    private final String topic;

    CatalogReplicationListener(KafkaEventBinding binding, CatalogReplica replica, RegionProperties region) {
        this.binding = binding;
        this.replica = replica;
        this.topic = Topics.mirrored(region.catalogRegion(), Topics.CATALOG_REPLICATION);
    }

    /** The mirrored topic, for the listener's annotation. */
    public String topic() {
        return topic;
    }

    // Earliest whatever the platform's default: a replica needs every record's state, not only the changes to come.
    // The service's concurrency, and any number of instances: states of different records applied at the same time
    // (a link and the deletion of one of its products) write a common key, so one of them runs again after the other
    // (CatalogReplica, ReplicaStatements).
    @KafkaListener(topics = "#{__listener.topic()}", properties = "auto.offset.reset=earliest")
    void on(ConsumerRecord<String, byte[]> record) {
        EventEnvelope envelope = binding.fromConsumerRecord(record);
        CatalogReplica.Outcome outcome = replica.apply(envelope);
        log.debug("{} {} of {} (partition {}, offset {}): {}", envelope.type(), envelope.id(), envelope.subject(),
                record.partition(), record.offset(), outcome);
    }
}
