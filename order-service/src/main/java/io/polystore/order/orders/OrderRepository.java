package io.polystore.order.orders;

import org.springframework.data.repository.ListCrudRepository;

import java.util.List;
import java.util.UUID;

public interface OrderRepository extends ListCrudRepository<Order, UUID> {

    /** Every order of one customer, oldest first: what a subject access export lists. */
    List<Order> findByCustomerIdOrderByPlacedAtAscIdAsc(String customerId);
}
