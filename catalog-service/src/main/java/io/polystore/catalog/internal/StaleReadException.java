package io.polystore.catalog.internal;

/** What a transaction's decision was based on changed before it committed; {@link CatalogTransactions} tries again. */
public class StaleReadException extends RuntimeException {

    public StaleReadException(String message) {
        super(message, null, false, false);
    }
}
