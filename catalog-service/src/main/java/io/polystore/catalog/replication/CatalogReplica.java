package io.polystore.catalog.replication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.catalog.internal.CatalogTransactions;
import io.polystore.catalog.internal.CatalogVersions;
import io.polystore.catalog.internal.SurrealOutboxWriter;
import io.polystore.catalog.replication.internal.ReplicaStatements;
import io.polystore.catalog.replication.internal.ReplicaStatements.Held;
import io.polystore.events.CategoryState;
import io.polystore.events.EventDecodingException;
import io.polystore.events.EventEnvelope;
import io.polystore.events.Money;
import io.polystore.events.ProductChanged;
import io.polystore.events.ProductState;
import io.polystore.events.RelatedProductsState;
import io.polystore.events.Topics;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealNone;
import io.polystore.surrealdb.SurrealQl;
import io.polystore.surrealdb.SurrealStatementException;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * This region's replica of the global catalog, written in another region: applies each state that region publishes
 * ({@link ProductState}, {@link CategoryState}, {@link RelatedProductsState}) over what this region holds of the
 * record, so that the record becomes identical to the one where the catalog is written.
 * <p>
 * A state is applied only if its version is above the version held for its record ({@code catalog_version}, kept for
 * deleted records too), so a state older than or as old as the one held, in whatever order states come, changes
 * nothing; and once (the inbox, as the saga's events). Both are checked in the transaction that applies the state:
 * the version is read first and the transaction throws {@code stale} if it changed meanwhile (see
 * {@link CatalogTransactions}). A product's state also writes its {@link ProductChanged} into this region's outbox, so
 * that this region's order service keeps its price snapshot as in the catalog region; a product new here gets a stock
 * row with nothing available (stock is regional: it is added here).
 * <p>
 * States may be applied at the same time, by several consumers and several instances: those of one record meet on its
 * version; a pair's state and the deletion of one of its products meet on the product's guard, which both write (see
 * {@link ReplicaStatements#PUT_PAIR}), so SurrealDB reports their conflict and one runs again after the other.
 * Applied states are counted in {@code polystore.catalog.replication.states} by {@code outcome}.
 */
@Service
public class CatalogReplica {

    /** What applying a state did. */
    public enum Outcome {
        /** The record now has the state. */
        APPLIED,
        /** This region holds the record in that version or a newer one: nothing changed. */
        OUTDATED,
        /** The same event was applied before: nothing changed. */
        DUPLICATE
    }

    /** A product as this store holds it (the fields a create writes where the catalog is written). */
    private record ProductDocument(String sku, String name, String description, Price price,
                                   Map<String, Object> attributes, List<RecordId> categories, boolean active,
                                   long version, Instant createdAt, Instant updatedAt) {
    }

    private record Price(BigDecimal amount, String currency) {
    }

    /** What one state changes, keyed and versioned for the replica's checks. */
    private record Change(String replicationKey, long version, Instant at, SurrealQl statements, SurrealQl outbox) {
    }

    private final SurrealClient surreal;
    private final SurrealOutboxWriter outbox;
    private final CatalogTransactions transactions;
    private final Clock clock;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

    CatalogReplica(SurrealClient surreal, SurrealOutboxWriter outbox, CatalogTransactions transactions, Clock clock,
                   MeterRegistry registry) {
        this.surreal = surreal;
        this.outbox = outbox;
        this.transactions = transactions;
        this.clock = clock;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder("polystore.catalog.replication.states")
                    .description("States of global catalog records received from the catalog region, by what applying them did")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry));
        }
    }

    /** @throws EventDecodingException if the event is no state of a global catalog record */
    public Outcome apply(EventEnvelope envelope) {
        Change change = switch (envelope.data()) {
            case ProductState product -> product(product);
            case CategoryState category -> category(category);
            case RelatedProductsState pair -> pair(pair);
            default -> throw new EventDecodingException(envelope.type() + " is not a state of the global catalog, "
                    + "which is all that " + Topics.CATALOG_REPLICATION + " carries");
        };
        Outcome outcome = applyOnce(envelope, change);
        outcomes.get(outcome).increment();
        return outcome;
    }

    private Outcome applyOnce(EventEnvelope envelope, Change change) {
        try {
            return transactions.run("Replicating " + envelope.type() + " " + envelope.id(), () -> {
                Instant now = clock.instant();
                UnaryOperator<SurrealQl> bound = statements -> statements.with("event_id", envelope.id())
                        .with("event_type", envelope.type()).with("replication_key", change.replicationKey())
                        .with("now", now);
                Held held = surreal.query(bound.apply(ReplicaStatements.READ)).result(ReplicaStatements.HELD, Held.class);
                if (held.processed()) {
                    return Outcome.DUPLICATE;
                }
                if (change.version() <= held.version()) {
                    surreal.query(bound.apply(ReplicaStatements.ACKNOWLEDGE)).requireSuccess();
                    return Outcome.OUTDATED;
                }
                SurrealQl version = CatalogVersions.record(change.replicationKey(), change.version(), change.at());
                surreal.query(bound.apply(ReplicaStatements.apply(change.statements(), version, change.outbox()))
                        .with("observed_version", held.version())).requireSuccess();
                return Outcome.APPLIED;
            });
        } catch (SurrealStatementException e) {
            // Applied by a concurrent delivery between our read and our commit: the inbox row exists.
            if ("AlreadyExists".equals(e.kind()) && e.statement() != null && e.statement().contains("'inbox'")) {
                return Outcome.DUPLICATE;
            }
            throw e;
        }
    }

    private Change product(ProductState state) {
        ProductChanged changed = new ProductChanged(state.productId(), state.sku(), state.name(), state.price(),
                state.active() && !state.deleted(), state.version(), state.updatedAt());
        SurrealQl statements;
        if (state.deleted()) {
            statements = ReplicaStatements.DELETE_PRODUCT.with("key", state.productId());
        } else {
            Money price = state.price();
            ProductDocument doc = new ProductDocument(state.sku(), state.name(), state.description(),
                    new Price(price.amount(), price.currency()), asStored(state.attributes()),
                    state.categoryIds().stream().map(id -> RecordId.of("category", id)).toList(), state.active(),
                    state.version(), state.createdAt(), state.updatedAt());
            statements = ReplicaStatements.PUT_PRODUCT.with("key", state.productId()).with("doc", doc);
        }
        return new Change(state.aggregateId(), state.version(), state.updatedAt(), statements,
                outbox.statements(List.of(changed)));
    }

    private Change category(CategoryState state) {
        SurrealQl statements = state.deleted()
                ? ReplicaStatements.DELETE_CATEGORY.with("key", state.categoryId())
                : ReplicaStatements.PUT_CATEGORY.with("key", state.categoryId()).with("name", state.name())
                .with("parent", state.parentId() == null ? SurrealNone.NONE : RecordId.of("category", state.parentId()))
                .with("ancestors", state.ancestorIds().stream().map(id -> RecordId.of("category", id)).toList())
                .with("version", state.version()).with("created_at", state.createdAt())
                .with("updated_at", state.updatedAt());
        return new Change(state.aggregateId(), state.version(), state.updatedAt(), statements, null);
    }

    private Change pair(RelatedProductsState state) {
        SurrealQl statements = ReplicaStatements.PUT_PAIR.with("a_key", state.productId())
                .with("b_key", state.relatedId()).with("linked", state.linked()).with("changed_at", state.changedAt())
                .with("a_replication_key", ProductState.keyOf(state.productId()))
                .with("b_replication_key", ProductState.keyOf(state.relatedId()));
        return new Change(state.aggregateId(), state.version(), state.changedAt(), statements, null);
    }

    /**
     * Attributes as the catalog region stores them. They come from JSON requests, whose fractions it stores as
     * floating-point numbers; events carry them exactly, as decimals, which SurrealDB would store as decimals and
     * show differently ({@code 2.0} as {@code 2}). Doubles again, each the very double it was written from.
     */
    private static Map<String, Object> asStored(Map<String, Object> attributes) {
        Map<String, Object> stored = new LinkedHashMap<>();
        attributes.forEach((name, value) -> stored.put(name, asStoredValue(value)));
        return stored;
    }

    @SuppressWarnings("unchecked")
    private static Object asStoredValue(Object value) {
        return switch (value) {
            case BigDecimal decimal -> decimal.doubleValue();
            case Map<?, ?> map -> asStored((Map<String, Object>) map);
            case List<?> list -> list.stream().map(CatalogReplica::asStoredValue).toList();
            case null, default -> value;
        };
    }
}
