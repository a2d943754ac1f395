-- Reconciliation runs of orders (order-service) against reservations (catalog-service), and the drift each found.
CREATE TABLE reconciliation_run (
    id                   uuid        PRIMARY KEY,
    trigger              text        NOT NULL CHECK (trigger IN ('MANUAL', 'SCHEDULED')),
    repair               boolean     NOT NULL,
    started_at           timestamptz NOT NULL,
    finished_at          timestamptz NOT NULL,
    orders_checked       integer     NOT NULL,
    reservations_checked integer     NOT NULL,
    drift_count          integer     NOT NULL
);
-- Recent runs first; the latest scheduled run decides whether another replica's schedule is due.
CREATE INDEX reconciliation_run_recent ON reconciliation_run (started_at DESC);
CREATE INDEX reconciliation_run_scheduled ON reconciliation_run (started_at DESC) WHERE trigger = 'SCHEDULED';

CREATE TABLE reconciliation_drift (
    run_id               uuid    NOT NULL REFERENCES reconciliation_run (id) ON DELETE CASCADE,
    position             integer NOT NULL,
    kind                 text    NOT NULL CHECK (kind IN ('CONFIRMED_WITHOUT_RESERVATION', 'RESERVATION_WITHOUT_LIVE_ORDER',
                                                          'QUANTITY_MISMATCH')),
    order_id             text    NOT NULL,
    detail               text    NOT NULL,
    -- The compensating command, null when none can repair the drift; emitted only by runs that repair.
    compensation         text,
    compensation_emitted boolean NOT NULL,
    PRIMARY KEY (run_id, position)
);
