package io.polystore.audit.chain;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** Reads records and checkpoints from their tables: the columns to select and the mapping of a row. */
public final class ChainRows {

    public static final String RECORD_COLUMNS = "position, event_id, event_type, source, occurred_at, recorded_at, "
            + "action, actor_index, subject_index, details, personal, previous_hash, record_hash";
    public static final String CHECKPOINT_COLUMNS = "position, record_hash, signed_at, key_id, signature";

    private ChainRows() {
    }

    public static ChainRecord record(ResultSet row) throws SQLException {
        return new ChainRecord(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                row.getObject(5, OffsetDateTime.class).toInstant(), row.getObject(6, OffsetDateTime.class).toInstant(),
                row.getString(7), row.getBytes(8), row.getBytes(9), row.getString(10), row.getBytes(11),
                row.getBytes(12), row.getBytes(13));
    }

    public static Checkpoint checkpoint(ResultSet row) throws SQLException {
        return new Checkpoint(row.getLong(1), row.getBytes(2), row.getObject(3, OffsetDateTime.class).toInstant(),
                row.getString(4), row.getBytes(5));
    }
}
