package io.polystore.order.saga.internal;

import org.springframework.data.repository.ListCrudRepository;

import java.util.UUID;

public interface OrderSagaRepository extends ListCrudRepository<OrderSaga, UUID>, OrderSagaWrites {
}
