-- The one-time publication of the masked history record (orders.history) of every order that may have none: the
-- orders placed before this migration and not changed since. From now on every change writes its order's record
-- itself. OrderHistoryBackfill walks them in batches, oldest first, each batch's records and its progress in one
-- transaction, so that a crash resumes after the last committed batch. One row: the walk's state.
CREATE TABLE order_history_backfill (
    singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    -- When this migration ran: an order placed or changed since wrote its own record.
    records_since   timestamptz NOT NULL,
    -- The last order published (placed_at, id), the walk's keyset cursor; null before the first batch.
    after_placed_at timestamptz,
    after_id        uuid,
    published       bigint      NOT NULL DEFAULT 0,
    started_at      timestamptz,
    finished_at     timestamptz
);
INSERT INTO order_history_backfill (records_since) VALUES (now());
