package io.polystore.events;

/**
 * An event or command exchanged between services. Sealed, so that {@link EventTypes} knows every
 * type there is; each permitted record carries an {@link EventType}.
 */
public sealed interface PolystoreEvent permits
        OrderPlaced, OrderConfirmed, OrderRejected, OrderCancelled, OrderHistoryRecorded,
        ReserveStock, ReleaseStock,
        StockReserved, StockRejected, StockReleased, ProductChanged,
        ProductState, CategoryState, RelatedProductsState, StockTransferred, StockRequested,
        AccessDecided, PersonalDataAccessed, SagaTransitioned, FederatedQueryRan, AccountChanged, RegionAnnounced {

    /** The id of the aggregate the event is about: the Kafka key and the CloudEvents {@code subject}. */
    String aggregateId();
}
