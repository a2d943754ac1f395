package io.polystore.events;

/** A message whose CloudEvents {@code type} is not in {@link EventTypes}. */
public class UnknownEventTypeException extends EventDecodingException {

    public UnknownEventTypeException(String type) {
        super("unknown event type '" + type + "'");
    }
}
