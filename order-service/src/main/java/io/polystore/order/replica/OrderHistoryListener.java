package io.polystore.order.replica;

import io.polystore.events.EventDecodingException;
import io.polystore.events.EventEnvelope;
import io.polystore.events.OrderHistoryRecorded;
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
 * In a region with peers, takes every peer's {@code orders.history} as MirrorMaker 2 mirrors it here,
 * {@code <peer>.orders.history}, from its beginning (a compacted topic: every order's latest record), into the
 * {@link OrderReplica}. Consumer group {@code order-service}; a record that fails is retried and dead-lettered by the
 * platform's error handler, as for every listener. MessagingDefaults declares the mirrored topics, so this consumer
 * has them to subscribe to before MirrorMaker's first pass.
 */
@Component
@Conditional(PeerRegions.class)
class OrderHistoryListener {

    private static final Logger log = LoggerFactory.getLogger(OrderHistoryListener.class);

    private final KafkaEventBinding binding;
    private final OrderReplica replica;
    private final String[] topics;

    OrderHistoryListener(KafkaEventBinding binding, OrderReplica replica, RegionProperties region) {
        this.binding = binding;
        this.replica = replica;
        this.topics = region.peers().stream().map(peer -> Topics.mirrored(peer, Topics.ORDER_HISTORY))
                .toArray(String[]::new);
    }

    /** The peers' mirrored history topics, for the listener's annotation. */
    public String[] topics() {
        return topics.clone();
    }

    // Earliest whatever the platform's default: the replica needs every order's latest record, not only the changes
    // to come. Records of one order share a partition; applying newer versions only makes any order safe anyway.
    @KafkaListener(topics = "#{__listener.topics()}", properties = "auto.offset.reset=earliest")
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
