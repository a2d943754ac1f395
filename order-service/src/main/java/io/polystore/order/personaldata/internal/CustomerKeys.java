package io.polystore.order.personaldata.internal;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code keyvault.customer_key} table: one wrapped data key per customer. */
@Repository
public class CustomerKeys {

    /** @param masterKeyId the master key that wrapped it */
    public record WrappedKey(String customerId, UUID keyId, byte[] wrappedKeyset, long masterKeyId) {
    }

    private static final RowMapper<WrappedKey> ROW = (rs, row) -> new WrappedKey(rs.getString("customer_id"),
            rs.getObject("key_id", UUID.class), rs.getBytes("wrapped_keyset"), rs.getLong("master_key_id"));

    private final JdbcClient jdbc;
    private final Clock clock;

    CustomerKeys(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<WrappedKey> find(String customerId) {
        return jdbc.sql("SELECT customer_id, key_id, wrapped_keyset, master_key_id FROM keyvault.customer_key"
                        + " WHERE customer_id = :customerId")
                .param("customerId", customerId)
                .query(ROW)
                .optional();
    }

    /** Stores the key unless the customer has one already (two first orders at once); returns the one that is kept. */
    public WrappedKey insertIfAbsent(WrappedKey key) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        jdbc.sql("""
                        INSERT INTO keyvault.customer_key (customer_id, key_id, wrapped_keyset, master_key_id, created_at, wrapped_at)
                        VALUES (:customerId, :keyId, :wrapped, :masterKeyId, :now, :now)
                        ON CONFLICT (customer_id) DO NOTHING""")
                .param("customerId", key.customerId())
                .param("keyId", key.keyId())
                .param("wrapped", key.wrappedKeyset())
                .param("masterKeyId", key.masterKeyId())
                .param("now", now)
                .update();
        return find(key.customerId()).orElseThrow();
    }

    /** Deletes one key by its id; false when it does not exist. */
    public boolean deleteKey(UUID keyId) {
        return jdbc.sql("DELETE FROM keyvault.customer_key WHERE key_id = :keyId").param("keyId", keyId).update() > 0;
    }

    public boolean delete(String customerId) {
        return jdbc.sql("DELETE FROM keyvault.customer_key WHERE customer_id = :customerId")
                .param("customerId", customerId)
                .update() > 0;
    }

    /** Keys wrapped by another master key than {@code masterKeyId}, locked for re-wrapping by this transaction only. */
    public List<WrappedKey> lockWrappedByOtherThan(long masterKeyId, int limit) {
        return jdbc.sql("SELECT customer_id, key_id, wrapped_keyset, master_key_id FROM keyvault.customer_key"
                        + " WHERE master_key_id <> :masterKeyId LIMIT :limit FOR UPDATE SKIP LOCKED")
                .param("masterKeyId", masterKeyId)
                .param("limit", limit)
                .query(ROW)
                .list();
    }

    public void rewrap(String customerId, byte[] wrappedKeyset, long masterKeyId) {
        jdbc.sql("UPDATE keyvault.customer_key SET wrapped_keyset = :wrapped, master_key_id = :masterKeyId,"
                        + " wrapped_at = :now WHERE customer_id = :customerId")
                .param("customerId", customerId)
                .param("wrapped", wrappedKeyset)
                .param("masterKeyId", masterKeyId)
                .param("now", OffsetDateTime.now(clock))
                .update();
    }
}
