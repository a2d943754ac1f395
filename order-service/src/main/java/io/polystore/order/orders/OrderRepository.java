package io.polystore.order.orders;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public interface OrderRepository extends ListCrudRepository<Order, UUID>, OrderInserts, OrderReads {

    /** Read by the {@link OrderReads} fragment, not by Spring Data JDBC. */
    @Override
    Optional<Order> findById(UUID id);

    /** Every order of one customer, oldest first: what a subject access export lists. */
    List<Order> findByCustomerIdOrderByPlacedAtAscIdAsc(String customerId);

    /**
     * Saves an order whose status changed, under the same optimistic lock as {@link #save}: one UPDATE, where
     * {@code save} would also delete and insert every line again (Spring Data JDBC rewrites an aggregate's
     * collections), three round trips or more on the saga's busiest path.
     *
     * @throws OptimisticLockingFailureException when the order changed since it was read
     */
    default Order saveStatus(Order changed) {
        if (updateStatus(changed.id(), changed.status().name(), changed.statusReason(), changed.updatedAt(),
                changed.version()) != 1) {
            throw new OptimisticLockingFailureException("Order " + changed.id() + " changed since it was read");
        }
        return changed.withVersion(changed.version() + 1);
    }

    @Modifying
    @Query("UPDATE customer_order SET status = :status, status_reason = :reason, updated_at = :updatedAt,"
            + " version = version + 1 WHERE id = :id AND version = :version")
    int updateStatus(UUID id, String status, String reason, Instant updatedAt, long version);
}
