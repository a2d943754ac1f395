package io.polystore.order.replica;

import io.polystore.events.EventDecodingException;
import io.polystore.events.EventEnvelope;
import io.polystore.events.OrderHistoryRecorded;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.servicedefaults.region.KnownRegions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Takes every other region's {@code orders.history} as MirrorMaker 2 mirrors it here, {@code <region>.orders.history},
 * subscribed by pattern so that a region added while this service runs is taken within seconds
 * ({@link KnownRegions#PATTERN_METADATA_MAX_AGE}), from its beginning (a compacted topic: every order's latest record), into the
 * {@link OrderReplica}. Consumer group {@code order-service}; a record that fails is retried and dead-lettered by the
 * platform's error handler, as for every listener. MessagingDefaults declares the mirrored topics, so this consumer
 * has them to subscribe to before MirrorMaker's first pass.
 */
@Component
class OrderHistoryListener {

    /**
     * Every region's mirrored {@code orders.history}, as {@code Topics.mirroredFromAnyRegion} writes it (a constant for
     * the annotation); never this region's own topic. Matched against whole names.
     */
    static final String TOPICS = "[a-z][a-z0-9-]{0,31}\\.orders\\.history";

    private static final Logger log = LoggerFactory.getLogger(OrderHistoryListener.class);

    private final KafkaEventBinding binding;
    private final OrderReplica replica;

    OrderHistoryListener(KafkaEventBinding binding, OrderReplica replica) {
        this.binding = binding;
        this.replica = replica;
    }

    // Earliest whatever the platform's default: the replica needs every order's latest record, not only the changes
    // to come. Records of one order share a partition; applying newer versions only makes any order safe anyway.
    @KafkaListener(topicPattern = TOPICS, properties = {"auto.offset.reset=earliest", KnownRegions.PATTERN_METADATA_MAX_AGE})
    void on(ConsumerRecord<String, byte[]> record) {
        EventEnvelope envelope = binding.fromConsumerRecord(record);
        if (!(envelope.data() instanceof OrderHistoryRecorded history)) {
            throw new EventDecodingException(envelope.type() + " is no order history record, which is all that "
                    + record.topic() + " carries");
        }
        OrderReplica.Outcome outcome = replica.apply(history);
        log.debug("Order {} version {} of {} (topic {}, partition {}, offset {}): {}", history.orderId(),
                history.version(), history.homeRegion(), record.topic(), record.partition(), record.offset(), outcome);
    }
}
