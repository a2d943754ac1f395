package io.polystore.order.personaldata;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.polystore.order.personaldata.internal.CustomerKeys;
import io.polystore.order.personaldata.internal.CustomerKeys.WrappedKey;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Envelope encryption of personal data: each customer has a data key (a Tink AES-256-GCM keyset) stored wrapped
 * by the {@link MasterKey}; the data is sealed with the customer's key and bound to the row it belongs to.
 * Erasing the customer's key (crypto-shredding) makes every copy of their data unreadable, wherever it was copied.
 * The key row is read on every use and unwrapped keys are never cached, so an erasure takes effect on every replica
 * at once.
 *
 * <p>The cryptography runs on a few platform threads: Tink keeps its {@code Cipher} per thread, and building one
 * (with a reflective provider lookup that fails on a class path without Conscrypt) on each new virtual thread took a large
 * share of the time to place an order.
 */
@Service
public class PersonalDataVault {

    /** Data sealed with the data key {@code keyId}. */
    public record Sealed(UUID keyId, byte[] ciphertext) {
    }

    private static final int REWRAP_BATCH = 500;

    private final CustomerKeys keys;
    private final MasterKey masterKey;
    private final JsonMapper json = JsonMapper.builder().build();

    private final TransactionTemplate transaction;
    private final CryptoThreads crypto;
    private final Optional<ErasureLog> erasureLog;
    private final Clock clock;

    PersonalDataVault(CustomerKeys keys, MasterKey masterKey, TransactionTemplate transaction, CryptoThreads crypto,
                      Optional<ErasureLog> erasureLog, Clock clock) {
        this.keys = keys;
        this.erasureLog = erasureLog;
        this.clock = clock;
        this.masterKey = masterKey;
        this.transaction = transaction;
        this.crypto = crypto;
    }

    /**
     * Seals the data with the customer's key, creating the key on the customer's first use.
     *
     * @param context what the ciphertext belongs to, e.g. the order id: it decrypts only with the same context
     */
    @Transactional
    public Sealed seal(String customerId, String context, PersonalData data) {
        WrappedKey key = keys.find(customerId).orElseGet(() -> keys.insertIfAbsent(crypto.run(() -> newKey(customerId))));
        byte[] plaintext = json.writeValueAsBytes(data);
        byte[] ciphertext = crypto.run(() -> {
            try {
                return unwrap(key).encrypt(plaintext, context(context));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Cannot seal personal data", e);
            }
        });
        return new Sealed(key.keyId(), ciphertext);
    }

    /** The data, or empty when the customer's key was erased since it was sealed. */
    @Transactional(readOnly = true)
    public Optional<PersonalData> open(String customerId, String context, Sealed sealed) {
        Optional<WrappedKey> key = keys.find(customerId).filter(found -> found.keyId().equals(sealed.keyId()));
        if (key.isEmpty()) {
            return Optional.empty();
        }
        byte[] plaintext = crypto.run(() -> {
            try {
                return unwrap(key.get()).decrypt(sealed.ciphertext(), context(context));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Personal data of customer " + customerId + " does not decrypt with its key", e);
            }
        });
        return Optional.of(json.readValue(plaintext, PersonalData.class));
    }

    /**
     * Destroys the customer's data key; returns false when there was none. The erasure log gets the erasure first:
     * should the transaction then fail, the customer is erased at the next start instead.
     */
    @Transactional
    public boolean erase(String customerId) {
        erasureLog.ifPresent(log -> keys.find(customerId)
                .ifPresent(key -> log.append(key.keyId(), customerId, clock.instant())));
        return keys.delete(customerId);
    }

    /**
     * Destroys every key in the erasure log that exists again, as after a restore of the database to a point before
     * its erasure.
     *
     * @return how many keys were destroyed
     */
    @Transactional
    public int eraseAgainFromLog() {
        return erasureLog.map(log -> (int) log.erasedKeys().stream().filter(keys::deleteKey).count()).orElse(0);
    }

    /**
     * Re-wraps every data key wrapped by a master key other than the current primary, in batches that several
     * replicas may run at once; afterwards the old master keys can be removed from the keyset.
     *
     * @return how many keys were re-wrapped
     */
    public int rewrapAll() {
        int total = 0;
        int batch;
        do {
            batch = transaction.execute(status -> {
                List<WrappedKey> stale = keys.lockWrappedByOtherThan(masterKey.primaryKeyId(), REWRAP_BATCH);
                for (WrappedKey key : stale) {
                    byte[] rewrapped = crypto.run(() -> wrap(key.customerId(), parse(key)));
                    keys.rewrap(key.customerId(), rewrapped, masterKey.primaryKeyId());
                }
                return stale.size();
            });
            total += batch;
        } while (batch == REWRAP_BATCH);
        return total;
    }

    private WrappedKey newKey(String customerId) {
        try {
            KeysetHandle dataKey = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            return new WrappedKey(customerId, UUID.randomUUID(), wrap(customerId, dataKey), masterKey.primaryKeyId());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot create a data key", e);
        }
    }

    private byte[] wrap(String customerId, KeysetHandle dataKey) {
        try {
            // Bound to the customer: a wrapped key copied to another customer's row does not unwrap.
            return masterKey.wrap(dataKey, context(customerId));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot wrap a data key", e);
        }
    }

    private KeysetHandle parse(WrappedKey key) {
        try {
            return masterKey.unwrap(key.wrappedKeyset(), context(key.customerId()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The data key of customer " + key.customerId()
                    + " does not unwrap with any master key (was the old master key removed before re-wrapping?)", e);
        }
    }

    private Aead unwrap(WrappedKey key) throws GeneralSecurityException {
        return parse(key).getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    private static byte[] context(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
