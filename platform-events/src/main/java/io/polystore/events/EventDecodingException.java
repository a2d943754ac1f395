package io.polystore.events;

/**
 * A message that cannot be turned into an {@link EventEnvelope}. Retrying cannot help: consumers
 * send such a message to their dead-letter topic with this exception's message as the reason.
 */
public class EventDecodingException extends RuntimeException {

    public EventDecodingException(String message) {
        super(message);
    }

    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
