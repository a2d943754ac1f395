package io.polystore.gateway.limits;

import java.io.IOException;

/** A request body without a declared length grew past the limit while it was being read (and forwarded). */
public class RequestBodyTooLargeException extends IOException {

    public RequestBodyTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes");
    }
}
