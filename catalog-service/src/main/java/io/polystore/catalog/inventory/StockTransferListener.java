package io.polystore.catalog.inventory;

import io.polystore.events.EventDecodingException;
import io.polystore.events.EventEnvelope;
import io.polystore.events.StockRequested;
import io.polystore.events.StockTransferred;
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
 * Takes the stock transfers of every peer region ({@code polystore.region.peers}), as MirrorMaker 2 mirrors each
 * peer's {@code catalog.transfers} here ({@code <peer>.catalog.transfers}, declared in advance by MessagingDefaults),
 * and receives those addressed to this region. From the topics' beginning: a transfer sent before this consumer first
 * subscribed is still owed. A transfer for a product whose replica has not arrived yet fails and the platform's error
 * handler tries it again, with growing pauses, for {@code polystore.kafka.retry-for}; after that it goes to
 * {@code catalog-service.dlt}, from where it can be replayed: never dropped. The same topics carry the peers'
 * requests for stock ({@link StockRequested}), which the {@link StockRebalancer} answers.
 */
@Component
@Conditional(PeerRegions.class)
class StockTransferListener {

    private static final Logger log = LoggerFactory.getLogger(StockTransferListener.class);

    private final KafkaEventBinding binding;
    private final StockTransfers transfers;
    private final StockRebalancer rebalancer;
    private final String[] topics;

    StockTransferListener(KafkaEventBinding binding, StockTransfers transfers, StockRebalancer rebalancer,
                          RegionProperties region) {
        this.binding = binding;
        this.transfers = transfers;
        this.rebalancer = rebalancer;
        this.topics = region.peers().stream().map(peer -> Topics.mirrored(peer, Topics.CATALOG_TRANSFERS))
                .toArray(String[]::new);
    }

    /** The peers' mirrored transfer topics, for the listener's annotation. */
    public String[] topics() {
        return topics.clone();
    }

    @KafkaListener(topics = "#{__listener.topics()}", properties = "auto.offset.reset=earliest")
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
