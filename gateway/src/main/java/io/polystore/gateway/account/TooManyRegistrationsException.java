package io.polystore.gateway.account;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.time.Duration;

/** 429 with {@code Retry-After}: too many accounts were created from one address lately. */
class TooManyRegistrationsException extends ErrorResponseException {

    TooManyRegistrationsException(Duration wait) {
        super(HttpStatus.TOO_MANY_REQUESTS, problem(seconds(wait)), null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds(wait)));
    }

    private static ProblemDetail problem(long seconds) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "Too many accounts were created from this address; retry after " + seconds + " s.");
    }

    private static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
