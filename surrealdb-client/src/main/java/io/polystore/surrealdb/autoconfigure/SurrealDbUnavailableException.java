package io.polystore.surrealdb.autoconfigure;

/** SurrealDB did not answer, or refused the credentials, when the service started. */
public class SurrealDbUnavailableException extends RuntimeException {

    private final String url;

    public SurrealDbUnavailableException(String url, Throwable cause) {
        super("Cannot reach SurrealDB at " + url + ": " + cause.getMessage(), cause);
        this.url = url;
    }

    public String url() {
        return url;
    }
}
