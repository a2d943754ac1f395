-- The customer digest in the history records (orders.history) became keyed: HMAC-SHA256 under
-- polystore.orders.customer-digest-key instead of a plain SHA-256 of the customer's id, which anyone could link to a
-- person by hashing guessed ids. Every record published so far carries the plain digest, so the walk of V3 starts over
-- from the first order, over every order that exists now: OrderHistoryBackfill publishes each one's record again, with
-- the keyed digest and at the version it has; the other regions' replicas take a record of the version they hold when
-- its customer key differs (OrderReplica.apply). An order changed from now on writes its own keyed record.
UPDATE order_history_backfill SET records_since = now(), after_placed_at = NULL, after_id = NULL, published = 0,
    started_at = NULL, finished_at = NULL;
