package io.polystore.surrealdb;

/**
 * The request did not get an RPC answer: the server was unreachable, the connection broke, or the server answered
 * with an HTTP error or something that is not a SurrealDB response. Whether the request ran is unknown.
 */
public class SurrealTransportException extends SurrealException {

    public SurrealTransportException(String message) {
        super(message);
    }

    public SurrealTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
