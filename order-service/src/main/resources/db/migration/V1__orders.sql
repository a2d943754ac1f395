-- Prices as the catalog last announced them (ProductChanged); orders are priced from here only.
CREATE TABLE price_snapshot (
    product_id      text PRIMARY KEY,
    sku             text        NOT NULL,
    name            text        NOT NULL,
    price_amount    numeric     NOT NULL CHECK (price_amount >= 0),
    currency        char(3)     NOT NULL,
    active          boolean     NOT NULL,
    product_version bigint      NOT NULL,
    changed_at      timestamptz NOT NULL,
    received_at     timestamptz NOT NULL
);

-- "order" is a reserved word.
CREATE TABLE customer_order (
    id                   uuid PRIMARY KEY,
    customer_id          text        NOT NULL,
    status               text        NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED')),
    status_reason        text,
    total_amount         numeric     NOT NULL CHECK (total_amount >= 0),
    currency             char(3)     NOT NULL,
    idempotency_key      text        NOT NULL,
    request_fingerprint  text        NOT NULL,
    -- Name, e-mail, phone and shipping address, sealed with the customer's data key (keyvault.customer_key).
    personal_data_key_id uuid        NOT NULL,
    personal_data        bytea       NOT NULL,
    version              bigint      NOT NULL,
    placed_at            timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    CONSTRAINT customer_order_idempotency UNIQUE (customer_id, idempotency_key)
);
-- Keyset pagination, newest first: a customer's orders, and all orders for order managers.
CREATE INDEX customer_order_by_customer ON customer_order (customer_id, placed_at DESC, id DESC);
CREATE INDEX customer_order_by_time ON customer_order (placed_at DESC, id DESC);

CREATE TABLE order_line (
    order_id     uuid    NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
    line_no      integer NOT NULL,
    product_id   text    NOT NULL,
    sku          text    NOT NULL,
    product_name text    NOT NULL,
    quantity     integer NOT NULL CHECK (quantity > 0),
    unit_price   numeric NOT NULL CHECK (unit_price >= 0),
    line_total   numeric NOT NULL CHECK (line_total >= 0),
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE order_saga (
    order_id       uuid PRIMARY KEY REFERENCES customer_order (id) ON DELETE CASCADE,
    state          text        NOT NULL CHECK (state IN ('PENDING', 'AWAITING_STOCK', 'CONFIRMED', 'REJECTED',
                                                         'RELEASING', 'CANCELLED')),
    reservation_id text,
    stock_released boolean     NOT NULL,
    -- When the current step times out; null once the saga waits for nothing.
    deadline       timestamptz,
    attempts       integer     NOT NULL,
    started_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    version        bigint      NOT NULL
);
-- Only sagas that wait for something are in this index, which the deadline poller scans.
CREATE INDEX order_saga_due ON order_saga (deadline) WHERE deadline IS NOT NULL;
CREATE INDEX order_saga_state ON order_saga (state);

CREATE TABLE saga_transition (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    uuid        NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
    from_state  text,
    to_state    text        NOT NULL,
    reason      text        NOT NULL,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX saga_transition_by_order ON saga_transition (order_id, id);

-- Inbox: ids of the events a handler has applied, so a redelivered event changes nothing twice.
CREATE TABLE processed_event (
    event_id     text PRIMARY KEY,
    type         text        NOT NULL,
    processed_at timestamptz NOT NULL
);

-- Transactional outbox, relayed from the WAL by sync-service (Debezium outbox event router);
-- see io.polystore.servicedefaults.outbox.OutboxWriter.
CREATE TABLE outbox_event (
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
CREATE INDEX outbox_event_created ON outbox_event (created_at);

-- Per-customer data keys, each a Tink keyset wrapped (encrypted) by the master key. Its own schema, so that it can be
-- backed up apart from the data with a short retention: erasing a key then also makes old backups of the data unreadable.
CREATE SCHEMA keyvault;
CREATE TABLE keyvault.customer_key (
    customer_id    text PRIMARY KEY,
    key_id         uuid        NOT NULL,
    wrapped_keyset bytea       NOT NULL,
    -- The master key (Tink key id) that wrapped it; rows under an old master key are re-wrapped after rotation.
    master_key_id  bigint      NOT NULL,
    created_at     timestamptz NOT NULL,
    wrapped_at     timestamptz NOT NULL
);
CREATE INDEX customer_key_master ON keyvault.customer_key (master_key_id);
