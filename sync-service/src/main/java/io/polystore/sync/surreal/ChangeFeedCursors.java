package io.polystore.sync.surreal;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.OptionalLong;

/** The change-feed relays' positions, in sync-service's own database (table {@code relay_cursor}). */
public final class ChangeFeedCursors {

    private final JdbcClient jdbc;

    public ChangeFeedCursors(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The next versionstamp to read, if the source was read before. */
    public OptionalLong next(String source) {
        return jdbc.sql("SELECT position FROM relay_cursor WHERE source = :source")
                .param("source", source)
                .query(Long.class)
                .optional()
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty());
    }

    public void save(String source, long next) {
        jdbc.sql("""
                        INSERT INTO relay_cursor (source, position, updated_at) VALUES (:source, :position, now())
                        ON CONFLICT (source) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
                        """)
                .param("source", source)
                .param("position", next)
                .update();
    }
}
