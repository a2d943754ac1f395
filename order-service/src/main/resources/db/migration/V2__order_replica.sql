-- The read-only replica of other regions' orders: every peer's orders.history as MirrorMaker mirrors it here
-- (<peer>.orders.history), each order's latest masked record. Nothing personal: the customer only by the SHA-256
-- digest of their id, by which the replica endpoints find the caller's own orders.
CREATE TABLE order_replica (
    order_id     uuid PRIMARY KEY,
    home_region  text        NOT NULL,
    customer_key text        NOT NULL,
    -- The order's version in its home region: a record is applied only if its version is above this one.
    version      bigint      NOT NULL,
    status       text        NOT NULL,
    placed_at    timestamptz NOT NULL,
    -- The OrderHistoryRecorded as it arrived (its data, as JSON).
    record       jsonb       NOT NULL,
    applied_at   timestamptz NOT NULL
);
-- A customer's orders, newest first (keyset pagination).
CREATE INDEX order_replica_by_customer ON order_replica (customer_key, home_region, placed_at DESC, order_id DESC);
