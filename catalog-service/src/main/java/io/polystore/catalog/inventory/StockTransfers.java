package io.polystore.catalog.inventory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.catalog.internal.CatalogTransactions;
import io.polystore.catalog.internal.Keys;
import io.polystore.catalog.internal.NotFoundException;
import io.polystore.catalog.internal.SurrealOutboxWriter;
import io.polystore.events.StockTransferred;
import io.polystore.servicedefaults.problem.InvalidInputException;
import io.polystore.servicedefaults.region.KnownRegions;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealQl;
import io.polystore.surrealdb.SurrealStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Unsold stock moved between regions. Each region sells only from its own stock; a catalog manager moves units of it to
 * a peer region: {@link #send} takes them out of this region's available stock, records the transfer and writes a
 * {@link StockTransferred} into the outbox, in one transaction; the peer {@link #receive}s it (MirrorMaker mirrors the
 * topic there) and adds the units to its available stock once, in one transaction with its record of the transfer,
 * keyed by the transfer's id (the inbox). Received transfers are counted in
 * {@code polystore.catalog.transfers.received} by {@code outcome}.
 */
@Service
public class StockTransfers {

    /** What receiving a transfer did. */
    public enum Outcome {
        /** The units are now available here. */
        APPLIED,
        /** The transfer was received before: nothing changed. */
        DUPLICATE,
        /** The transfer is for another region (a peer's topic carries its transfers to every region): ignored. */
        NOT_ADDRESSED_HERE
    }

    private static final Logger log = LoggerFactory.getLogger(StockTransfers.class);

    static final String NOT_FOUND = "not-found";
    static final String INSUFFICIENT = "insufficient-stock";
    /** The available units are no longer those a decision read (see {@link #sendUnits}). */
    static final String CHANGED = "available-changed";

    private static final SurrealQl LET_INVENTORY = SurrealQl.of("LET $inventory = type::record('inventory', $key);")
            .then(SurrealQl.throwIf("!record::exists($inventory)", NOT_FOUND));
    private static final SurrealQl RECORD_TRANSFER = SurrealQl.of("""
            CREATE type::record('stock_transfer', $transfer_id) CONTENT {
                direction: $direction, product_id: $key, from_region: $from_region, to_region: $to_region,
                quantity: $quantity, transferred_at: $transferred_at, recorded_at: $now
            };""");
    // Fields are read with LET before any IF (SurrealDB 3.0.2, see the README).
    private static final SurrealQl TAKE_OUT = SurrealQl.throwIf("$available < $quantity", INSUFFICIENT)
            .then(SurrealQl.of("UPDATE $inventory SET available -= $quantity, sent += $quantity, updated_at = $now;"))
            .then(RECORD_TRANSFER);
    private static final SurrealQl LET_AVAILABLE = LET_INVENTORY.then(SurrealQl.of("LET $available = $inventory.available;"));
    private static final SurrealQl SEND = LET_AVAILABLE.then(TAKE_OUT);
    /** As {@link #SEND}, if the available units are still those the decision read. */
    private static final SurrealQl SEND_AS_READ = LET_AVAILABLE
            .then(SurrealQl.throwIf("$available != $expected_available", CHANGED))
            .then(TAKE_OUT);
    /**
     * The record of the transfer first: a second delivery fails on it, whatever raced it. Units arriving close this
     * region's open request for the product, if any (the rebalancer asks again when the product is short once more).
     */
    private static final SurrealQl RECEIVE = SurrealQl.transaction(RECORD_TRANSFER, LET_INVENTORY, SurrealQl.of(
            "UPDATE $inventory SET available += $quantity, received += $quantity, updated_at = $now;"
                    + " DELETE type::record('stock_request', $key);"));
    private static final SurrealQl READ = SurrealQl.of("""
            RETURN {
                received: record::exists(type::record('stock_transfer', $transfer_id)),
                held: record::exists(type::record('inventory', $key))
            };""");

    private record Held(boolean received, boolean held) {
    }

    private static final SurrealQl GET = SurrealQl.of("SELECT * FROM ONLY type::record('stock_transfer', $transfer_id);");

    /** A row of {@code stock_transfer}, as the store returns it. */
    private record TransferRow(RecordId id, String productId, String fromRegion, String toRegion, long quantity,
                               Instant transferredAt) {

        StockTransferView view() {
            return new StockTransferView(Keys.of(id), productId, fromRegion, toRegion, quantity, transferredAt);
        }
    }

    private final SurrealClient surreal;
    private final SurrealOutboxWriter outbox;
    private final CatalogTransactions transactions;
    private final InventoryService inventory;
    /** This region and the others, those announced at run time included. */
    private final KnownRegions region;
    private final Clock clock;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

    StockTransfers(SurrealClient surreal, SurrealOutboxWriter outbox, CatalogTransactions transactions,
                   InventoryService inventory, KnownRegions region, Clock clock, MeterRegistry registry) {
        this.surreal = surreal;
        this.outbox = outbox;
        this.transactions = transactions;
        this.inventory = inventory;
        this.region = region;
        this.clock = clock;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder("polystore.catalog.transfers.received")
                    .description("Stock transfers received from peer regions, by what receiving them did")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry));
        }
    }

    /**
     * Takes {@code request.quantity()} units out of this region's available stock of the product and sends them to
     * {@code request.toRegion()}.
     *
     * @throws InvalidInputException if the region is this one or no peer, or fewer units are available: nothing changed
     * @throws NotFoundException     if this region holds no stock of the product
     */
    public StockTransferView send(String productId, StockTransferRequest request) {
        String toRegion = request.toRegion();
        if (toRegion.equals(region.name())) {
            throw new InvalidInputException("toRegion", "is this region: units go to another region");
        }
        if (!region.isPeer(toRegion)) {
            throw new InvalidInputException("toRegion", "is no region known here; the others are " + region.peers());
        }
        try {
            StockTransferred sent = sendUnits(UUID.randomUUID().toString(), productId, toRegion, request.quantity(), null);
            return view(sent);
        } catch (SurrealStatementException e) {
            String code = e.thrownCode().orElse("");
            if (NOT_FOUND.equals(code)) {
                throw new NotFoundException("product", productId);
            }
            if (INSUFFICIENT.equals(code)) {
                throw new InvalidInputException("quantity", "is more than the " + inventory.get(productId).available()
                        + " units available in " + region.name());
            }
            throw e;
        }
    }

    /**
     * The one transaction that sends units, for a manager's transfer and for the rebalancer's answer to a peer's
     * request (whose id is then the transfer's: a second answer fails on the transfer's record).
     *
     * @param expectedAvailable the available units the sender's decision was based on, or {@code null}: if they changed,
     *                          the transaction throws {@link #CHANGED}, changes nothing, and the caller decides again
     */
    StockTransferred sendUnits(String transferId, String productId, String toRegion, long quantity,
                               Long expectedAvailable) {
        StockTransferred sent = transactions.run("transferring stock of product " + productId, () -> {
            Instant now = clock.instant();
            StockTransferred event = new StockTransferred(transferId, productId, region.name(), toRegion, quantity, now);
            surreal.query(SurrealQl.transaction(expectedAvailable == null ? SEND : SEND_AS_READ,
                            outbox.statements(List.of(event)))
                    .with("key", productId).with("transfer_id", transferId).with("direction", "SENT")
                    .with("from_region", region.name()).with("to_region", toRegion).with("quantity", quantity)
                    .with("expected_available", expectedAvailable)
                    .with("transferred_at", now).with("now", now)).requireSuccess();
            return event;
        });
        log.info("Sent {} units of product {} to {} (transfer {})", quantity, productId, toRegion, transferId);
        return sent;
    }

    /** A transfer of the product that this region sent or received. */
    public StockTransferView get(String productId, String transferId) {
        return surreal.query(GET.with("transfer_id", transferId)).firstRow(0, TransferRow.class)
                .filter(row -> row.productId().equals(productId)).map(TransferRow::view)
                .orElseThrow(() -> new NotFoundException("transfer", transferId));
    }

    /**
     * Adds the units of a transfer addressed to this region to its available stock, once.
     *
     * @throws ProductNotHeldException if this region holds no stock row of the product yet (its replica has not
     *                                 arrived): the listener's error handler tries again later
     */
    public Outcome receive(StockTransferred transfer) {
        Outcome outcome = receiveOnce(transfer);
        outcomes.get(outcome).increment();
        return outcome;
    }

    private Outcome receiveOnce(StockTransferred transfer) {
        if (!transfer.toRegion().equals(region.name())) {
            return Outcome.NOT_ADDRESSED_HERE;
        }
        SurrealQl bound = RECEIVE.with("key", transfer.productId()).with("transfer_id", transfer.transferId())
                .with("direction", "RECEIVED").with("from_region", transfer.fromRegion())
                .with("to_region", transfer.toRegion()).with("quantity", transfer.quantity())
                .with("transferred_at", transfer.transferredAt());
        try {
            return transactions.run("receiving transfer " + transfer.transferId(), () -> {
                Held held = surreal.query(READ.with("key", transfer.productId())
                        .with("transfer_id", transfer.transferId())).result(0, Held.class);
                if (held.received()) {
                    return Outcome.DUPLICATE;
                }
                if (!held.held()) {
                    throw new ProductNotHeldException(transfer);
                }
                surreal.query(bound.with("now", clock.instant())).requireSuccess();
                log.info("Received {} units of product {} from {} (transfer {})", transfer.quantity(),
                        transfer.productId(), transfer.fromRegion(), transfer.transferId());
                return Outcome.APPLIED;
            });
        } catch (SurrealStatementException e) {
            if (e.thrownCode().filter(NOT_FOUND::equals).isPresent()) {
                throw new ProductNotHeldException(transfer);
            }
            // Received by a concurrent delivery between our read and our commit: the transfer's record exists.
            if ("AlreadyExists".equals(e.kind()) && e.statement() != null && e.statement().contains("'stock_transfer'")) {
                return Outcome.DUPLICATE;
            }
            throw e;
        }
    }

    private static StockTransferView view(StockTransferred transfer) {
        return new StockTransferView(transfer.transferId(), transfer.productId(), transfer.fromRegion(),
                transfer.toRegion(), transfer.quantity(), transfer.transferredAt());
    }

    /** A transfer for a product this region holds no stock of yet: thrown to be tried again, never dropped. */
    public static final class ProductNotHeldException extends RuntimeException {

        ProductNotHeldException(StockTransferred transfer) {
            super("Transfer " + transfer.transferId() + " from " + transfer.fromRegion() + " is for product "
                    + transfer.productId() + ", which this region holds no stock of yet (its replica has not arrived)");
        }
    }
}
