package io.polystore.gateway.identity.internal;

/** The gateway has no usable signing key; start-up stops with the reason and what to configure. */
public class SigningKeyException extends RuntimeException {

    public SigningKeyException(String message) {
        super(message);
    }

    public SigningKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
