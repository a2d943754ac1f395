-- The audit trail: records form a hash chain by position; signed checkpoints pin (position, record hash).
-- Both tables are append-only: the application's role is granted SELECT and INSERT only (see the README's
-- "Database roles"), and a trigger refuses UPDATE, DELETE and TRUNCATE for everyone, the owner included,
-- except the deletions of whole checkpointed segments by audit.retire_expired_segments().

CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE audit.record (
    position      bigint      PRIMARY KEY CHECK (position > 0),
    event_id      text        NOT NULL UNIQUE,
    event_type    text        NOT NULL,
    source        text        NOT NULL,
    occurred_at   timestamptz NOT NULL,
    recorded_at   timestamptz NOT NULL,
    action        text        NOT NULL,
    -- Keyed blind indexes (HMAC) of actor and subject, so that they can be searched while encrypted.
    actor_index   bytea,
    subject_index bytea       NOT NULL,
    -- The event's fields that are not personal data, as JSON text (kept byte for byte: it is hashed).
    details       text        NOT NULL,
    -- Tink AEAD ciphertext of the personal data (actor, subject, client address); associated data: event_id.
    personal      bytea       NOT NULL,
    previous_hash bytea       NOT NULL CHECK (octet_length(previous_hash) = 32),
    record_hash   bytea       NOT NULL CHECK (octet_length(record_hash) = 32)
);

CREATE INDEX record_actor_idx ON audit.record (actor_index, position) WHERE actor_index IS NOT NULL;
CREATE INDEX record_subject_idx ON audit.record (subject_index, position);
CREATE INDEX record_action_idx ON audit.record (action, position);
CREATE INDEX record_occurred_idx ON audit.record (occurred_at, position);
-- Storage time grows with the position: a BRIN index finds the retention cut-off for almost nothing.
CREATE INDEX record_recorded_brin ON audit.record USING brin (recorded_at);

CREATE TABLE audit.checkpoint (
    position    bigint      PRIMARY KEY CHECK (position > 0),
    record_hash bytea       NOT NULL CHECK (octet_length(record_hash) = 32),
    signed_at   timestamptz NOT NULL,
    key_id      text        NOT NULL,
    signature   bytea       NOT NULL
);

-- Written by the migration (owner) connection only, from polystore.audit.retention.period: the application
-- cannot shorten the retention it is subject to.
CREATE TABLE audit.retention_policy (
    id     boolean  PRIMARY KEY DEFAULT true CHECK (id),
    period interval NOT NULL CHECK (period > interval '0')
);

CREATE FUNCTION audit.refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    -- Only audit.retire_expired_segments(), running as the owner, sets this flag for its own transaction.
    IF TG_OP = 'DELETE'
            AND current_setting('audit.retiring_segments', true) = 'on'
            AND current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = TG_RELID) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;

-- Statement-level, so that a refusal costs one call whatever the number of rows.
CREATE TRIGGER record_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.record
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER checkpoint_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- Removes the oldest whole segments: every record up to the newest checkpoint before which no record is younger
-- than the retention period, and every older checkpoint. That checkpoint stays as the anchor the remaining chain
-- starts from. Runs as the owner (SECURITY DEFINER), so the application can retire segments without holding
-- DELETE on the tables. Returns the new anchor's position and the number of records removed, or no row.
CREATE FUNCTION audit.retire_expired_segments(OUT anchor_position bigint, OUT records_removed bigint)
    RETURNS SETOF record
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS
$$
DECLARE
    cutoff         timestamptz;
    first_retained bigint;
    first_young    bigint;
BEGIN
    -- The chain's single-writer lock: no append or other retirement runs meanwhile.
    PERFORM pg_advisory_xact_lock(7301946265000000001);
    SELECT now() - p.period INTO cutoff FROM audit.retention_policy p;
    IF cutoff IS NULL THEN
        RETURN;
    END IF;
    SELECT min(r.position) INTO first_retained FROM audit.record r;
    IF first_retained IS NULL THEN
        RETURN;
    END IF;
    SELECT min(r.position) INTO first_young FROM audit.record r WHERE r.recorded_at >= cutoff;
    SELECT max(c.position) INTO anchor_position
    FROM audit.checkpoint c
    WHERE c.position >= first_retained
      AND (first_young IS NULL OR c.position < first_young);
    IF anchor_position IS NULL THEN
        RETURN;
    END IF;
    PERFORM set_config('audit.retiring_segments', 'on', true);
    DELETE FROM audit.record r WHERE r.position <= anchor_position;
    GET DIAGNOSTICS records_removed = ROW_COUNT;
    DELETE FROM audit.checkpoint c WHERE c.position < anchor_position;
    PERFORM set_config('audit.retiring_segments', 'off', true);
    RETURN NEXT;
END
$$;

REVOKE ALL ON FUNCTION audit.retire_expired_segments() FROM PUBLIC;
REVOKE ALL ON FUNCTION audit.refuse_change() FROM PUBLIC;
