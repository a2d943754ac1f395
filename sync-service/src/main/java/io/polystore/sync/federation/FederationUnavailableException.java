package io.polystore.sync.federation;

/** A store could not be reached or failed; nothing was changed, and trying again later may succeed. */
public final class FederationUnavailableException extends RuntimeException {

    public FederationUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
