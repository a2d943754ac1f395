package io.polystore.catalog.inventory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.catalog.CatalogProperties;
import io.polystore.catalog.internal.CatalogTransactions;
import io.polystore.catalog.internal.SurrealOutboxWriter;
import io.polystore.events.StockRequested;
import io.polystore.servicedefaults.region.KnownRegions;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealQl;
import io.polystore.surrealdb.SurrealStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Moves unsold stock to the region that needs it, without ever promising units twice: only the region holding units
 * moves them. A region short of a product <em>asks</em> ({@link #askForShortStock}, every
 * {@code polystore.catalog.rebalancing.interval}): a product sold here (it has demand here) with fewer than
 * {@code low-water} units available and no open request gets a {@link StockRequested} to one peer, for as many units
 * as top it up to {@code target}, written into the outbox in the transaction that records the open request (one per
 * product: several instances cannot ask twice). The request closes when units of the product arrive, or after
 * {@code request-timeout}, when the next peer is asked (round-robin). A peer <em>gives</em> ({@link #answer}): it sends
 * what it can spare above its own {@code low-water}, up to the quantity asked, as a transfer whose id is the request's
 * (the same transaction as a manager's transfer; the transfer's record is the inbox, so a request delivered twice moves
 * units once), or nothing when it has nothing to spare. Counted in {@code polystore.catalog.rebalancing.requests} by
 * {@code outcome}: {@code sent} (asked here), {@code granted}, {@code declined} (answered here).
 */
@Component
public class StockRebalancer {

    /** What answering a peer's request did. */
    public enum Answer {
        /** Units were sent. */
        GRANTED,
        /** Nothing to spare above the low-water mark, or no stock of the product here: nothing sent. */
        DECLINED,
        /** Answered before: nothing more sent. */
        DUPLICATE,
        /** Addressed to another region, or rebalancing is off here: ignored. */
        IGNORED
    }

    private static final Logger log = LoggerFactory.getLogger(StockRebalancer.class);

    private static final String OPEN = "request-open";

    /**
     * Products with demand here (units sold here), fewer than the low-water mark available, and no open request
     * (none, or one older than the timeout); with the peer asked last, to ask the next one.
     */
    private static final SurrealQl SHORT = SurrealQl.of("""
            SELECT record::id(id) AS key, available,
                   type::record('stock_request', record::id(id)).to_region AS asked
            FROM inventory
            WHERE sold > 0 AND available < $low_water
              AND (type::record('stock_request', record::id(id)).requested_at ?? d'1970-01-01T00:00:00Z') < $open_since
            LIMIT $batch;""");
    // Fields are read with LET before any IF (SurrealDB 3.0.2, see the README).
    private static final SurrealQl ASK = SurrealQl.of("""
            LET $request = type::record('stock_request', $key);
            LET $requested_at = $request.requested_at ?? d'1970-01-01T00:00:00Z';""")
            .then(SurrealQl.throwIf("$requested_at >= $open_since", OPEN))
            .then(SurrealQl.of("""
                    UPSERT $request CONTENT {
                        request_id: $request_id, product_id: $key, to_region: $to_region, quantity: $quantity,
                        requested_at: $now
                    };"""));
    private static final SurrealQl READ_FOR_ANSWER = SurrealQl.of("""
            RETURN {
                answered: record::exists(type::record('stock_transfer', $transfer_id)),
                available: (SELECT VALUE available FROM type::record('inventory', $key))[0]
            };""");

    private record ShortProduct(String key, long available, String asked) {
    }

    private record Held(boolean answered, Long available) {
    }

    private final SurrealClient surreal;
    private final SurrealOutboxWriter outbox;
    private final CatalogTransactions transactions;
    private final StockTransfers transfers;
    /** This region and the others, those announced at run time included. */
    private final KnownRegions region;
    private final CatalogProperties.Rebalancing properties;
    private final Clock clock;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

    private enum Outcome { SENT, GRANTED, DECLINED }

    StockRebalancer(SurrealClient surreal, SurrealOutboxWriter outbox, CatalogTransactions transactions,
                    StockTransfers transfers, KnownRegions region, CatalogProperties properties, Clock clock,
                    MeterRegistry registry) {
        this.surreal = surreal;
        this.outbox = outbox;
        this.transactions = transactions;
        this.transfers = transfers;
        this.region = region;
        this.properties = properties.rebalancing();
        this.clock = clock;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder("polystore.catalog.rebalancing.requests")
                    .description("Requests for stock between regions: sent by this region, granted or declined by it")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry));
        }
    }

    @Scheduled(fixedDelayString = "${polystore.catalog.rebalancing.interval:10s}",
            initialDelayString = "${polystore.catalog.rebalancing.interval:10s}")
    void scheduled() {
        try {
            askForShortStock();
        } catch (RuntimeException e) {
            log.warn("Asking peers for stock failed; the next pass tries again", e);
        }
    }

    /** Asks a peer for units of every product short of stock here without an open request; returns what was sent. */
    public List<StockRequested> askForShortStock() {
        // A region alone (none configured, none announced yet) has nobody to ask.
        if (!properties.enabled() || region.peers().isEmpty()) {
            return List.of();
        }
        Instant openSince = clock.instant().minus(properties.requestTimeout());
        List<ShortProduct> shortOfStock = surreal.query(SHORT.with("low_water", properties.lowWater())
                .with("open_since", openSince).with("batch", properties.batch())).rows(0, ShortProduct.class);
        List<StockRequested> sent = new ArrayList<>();
        for (ShortProduct product : shortOfStock) {
            try {
                ask(product).ifPresent(sent::add);
            } catch (RuntimeException e) {
                log.warn("Asking for stock of product {} failed; the next pass tries again", product.key(), e);
            }
        }
        return sent;
    }

    private Optional<StockRequested> ask(ShortProduct product) {
        List<String> peers = List.copyOf(region.peers());
        // The peer after the one asked last; the first if none was, or if it is no peer any more (indexOf -1).
        String peer = peers.get((product.asked() == null ? 0 : peers.indexOf(product.asked()) + 1) % peers.size());
        long quantity = Math.max(1, properties.target() - product.available());
        try {
            StockRequested request = transactions.run("asking for stock of product " + product.key(), () -> {
                Instant now = clock.instant();
                StockRequested event = new StockRequested(UUID.randomUUID().toString(), product.key(), region.name(),
                        peer, quantity, now);
                surreal.query(SurrealQl.transaction(ASK, outbox.statements(List.of(event)))
                        .with("key", product.key()).with("request_id", event.requestId()).with("to_region", peer)
                        .with("quantity", quantity).with("now", now)
                        .with("open_since", now.minus(properties.requestTimeout()))).requireSuccess();
                return event;
            });
            outcomes.get(Outcome.SENT).increment();
            log.info("Asked {} for {} units of product {} ({} available here; request {})", peer, quantity,
                    product.key(), product.available(), request.requestId());
            return Optional.of(request);
        } catch (SurrealStatementException e) {
            if (e.thrownCode().filter(OPEN::equals).isPresent()) {
                return Optional.empty(); // another instance asked meanwhile
            }
            throw e;
        }
    }

    /**
     * Answers a peer's request addressed to this region: sends what is spare above the low-water mark, up to the
     * quantity asked, once.
     */
    public Answer answer(StockRequested request) {
        if (!request.toRegion().equals(region.name()) || !properties.enabled() || !region.isPeer(request.fromRegion())) {
            return Answer.IGNORED;
        }
        Answer answer = answerOnce(request);
        switch (answer) {
            case GRANTED -> outcomes.get(Outcome.GRANTED).increment();
            case DECLINED -> outcomes.get(Outcome.DECLINED).increment();
            default -> { }
        }
        return answer;
    }

    private Answer answerOnce(StockRequested request) {
        // Read, decide, and send only if the available units are still those read (sendUnits re-checks them).
        for (int attempt = 1; ; attempt++) {
            Held held = surreal.query(READ_FOR_ANSWER.with("key", request.productId())
                    .with("transfer_id", request.requestId())).result(0, Held.class);
            if (held.answered()) {
                return Answer.DUPLICATE;
            }
            long spare = held.available() == null ? 0 : held.available() - properties.lowWater();
            if (spare < 1) {
                log.info("Declined {}'s request {} for {} units of product {}: {} available here, low-water mark {}",
                        request.fromRegion(), request.requestId(), request.quantity(), request.productId(),
                        held.available(), properties.lowWater());
                return Answer.DECLINED;
            }
            long quantity = Math.min(request.quantity(), spare);
            try {
                transfers.sendUnits(request.requestId(), request.productId(), request.fromRegion(), quantity,
                        held.available());
                return Answer.GRANTED;
            } catch (SurrealStatementException e) {
                // A concurrent delivery of the same request sent first: its transfer's record exists.
                if ("AlreadyExists".equals(e.kind()) && e.statement() != null && e.statement().contains("'stock_transfer'")) {
                    return Answer.DUPLICATE;
                }
                // The product went, or its units were reserved meanwhile: decide again on what is there now.
                boolean changed = e.thrownCode().filter(code -> code.equals(StockTransfers.NOT_FOUND)
                        || code.equals(StockTransfers.INSUFFICIENT) || code.equals(StockTransfers.CHANGED)).isPresent();
                if (!changed || attempt >= 3) {
                    throw e;
                }
            }
        }
    }
}
