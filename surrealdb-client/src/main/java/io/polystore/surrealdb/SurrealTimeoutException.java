package io.polystore.surrealdb;

/** No answer within the configured time: connecting, waiting for a free connection, or waiting for the response. */
public class SurrealTimeoutException extends SurrealTransportException {

    public SurrealTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
