package io.polystore.order.orders;

import org.springframework.data.repository.ListCrudRepository;

import java.util.UUID;

public interface OrderRepository extends ListCrudRepository<Order, UUID> {
}
