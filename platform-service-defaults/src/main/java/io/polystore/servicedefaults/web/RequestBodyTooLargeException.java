package io.polystore.servicedefaults.web;

import java.io.IOException;

/**
 * A request body without a declared length grew past the limit while it was read: whoever reads it (a message
 * converter, the gateway forwarding it) stops there, and the request is answered 413.
 */
public class RequestBodyTooLargeException extends IOException {

    public RequestBodyTooLargeException(long limit) {
        super("The request body is larger than the limit of " + limit + " bytes.");
    }
}
