package io.polystore.catalog.inventory;

import io.polystore.events.EventDecodingException;
import io.polystore.events.EventEnvelope;
import io.polystore.events.StockRequested;
import io.polystore.events.StockTransferred;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.servicedefaults.region.KnownRegions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Takes the stock transfers of every other region, as MirrorMaker 2 mirrors each one's {@code catalog.transfers} here
 * ({@code <region>.catalog.transfers}; a configured peer's declared in advance by MessagingDefaults), and receives those
 * addressed to this region. Subscribed by pattern, so that the topic of a region added while this service runs is
 * taken within seconds ({@link KnownRegions#PATTERN_METADATA_MAX_AGE}), from its beginning too. From the topics' beginning: a transfer sent before this consumer first
 * subscribed is still owed. A transfer for a product whose replica has not arrived yet fails and the platform's error
 * handler tries it again, with growing pauses, for {@code polystore.kafka.retry-for}; after that it goes to
 * {@code catalog-service.dlt}, from where it can be replayed: never dropped. The same topics carry the peers'
 * requests for stock ({@link StockRequested}), which the {@link StockRebalancer} answers.
 */
@Component
class StockTransferListener {

    /**
     * Every region's mirrored {@code catalog.transfers}, as {@code Topics.mirroredFromAnyRegion} writes it (a constant
     * for the annotation); never this region's own topic. Matched against whole names.
     */
    static final String TOPICS = "[a-z][a-z0-9-]{0,31}\\.catalog\\.transfers";

    private static final Logger log = LoggerFactory.getLogger(StockTransferListener.class);

    private final KafkaEventBinding binding;
    private final StockTransfers transfers;
    private final StockRebalancer rebalancer;

    StockTransferListener(KafkaEventBinding binding, StockTransfers transfers, StockRebalancer rebalancer) {
        this.binding = binding;
        this.transfers = transfers;
        this.rebalancer = rebalancer;
    }

    @KafkaListener(topicPattern = TOPICS, properties = {"auto.offset.reset=earliest", KnownRegions.PATTERN_METADATA_MAX_AGE})
    void on(ConsumerRecord<String, byte[]> record) {
        EventEnvelope envelope = binding.fromConsumerRecord(record);
        if (envelope.data() instanceof StockRequested request) {
            StockRebalancer.Answer answer = rebalancer.answer(request);
            log.debug("Request {} for product {} from {} (topic {}, partition {}, offset {}): {}", request.requestId(),
                    request.productId(), request.fromRegion(), record.topic(), record.partition(), record.offset(), answer);
            return;
        }
        if (!(envelope.data() instanceof StockTransferred transfer)) {
            throw new EventDecodingException(envelope.type() + " is no stock transfer or request, which is all that "
                    + record.topic() + " carries");
        }
        StockTransfers.Outcome outcome = transfers.receive(transfer);
        log.debug("Transfer {} of product {} from {} (topic {}, partition {}, offset {}): {}", transfer.transferId(),
                transfer.productId(), transfer.fromRegion(), record.topic(), record.partition(), record.offset(), outcome);
    }
}
