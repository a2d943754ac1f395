package io.polystore.order.saga.internal;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

import java.util.Optional;
import java.util.UUID;

public interface OrderSagaRepository extends ListCrudRepository<OrderSaga, UUID>, OrderSagaWrites {

    /** The saga, locked until the transaction ends: replies, deadlines and cancellations of one order take turns. */
    @Query("SELECT * FROM order_saga WHERE order_id = :orderId FOR UPDATE")
    Optional<OrderSaga> lock(UUID orderId);
}
