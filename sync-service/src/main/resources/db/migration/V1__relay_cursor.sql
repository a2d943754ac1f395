-- Where each change-feed relay continues: the next position to read, written after Kafka acknowledged the previous ones.
CREATE TABLE relay_cursor (
    source     text        PRIMARY KEY,
    position   bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
