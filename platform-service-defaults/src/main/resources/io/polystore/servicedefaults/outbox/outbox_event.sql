-- The outbox table OutboxWriter writes to, as each service's own migration creates it (order-service's V1 holds
-- this same definition). Tests that stand in for such a service create it from this file.
CREATE TABLE IF NOT EXISTS outbox_event (
    id               uuid PRIMARY KEY,
    aggregatetype    text        NOT NULL,
    aggregateid      text        NOT NULL,
    type             text        NOT NULL,
    payload          jsonb       NOT NULL,
    ce_source        text        NOT NULL,
    ce_time          timestamptz NOT NULL,
    ce_schemaversion integer     NOT NULL,
    ce_traceparent   text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    wal_lsn          pg_lsn      NOT NULL DEFAULT pg_current_wal_insert_lsn()
);
