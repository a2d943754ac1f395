package io.polystore.gateway.account;

import io.polystore.servicedefaults.problem.ProblemDetailsExceptionHandler.FieldProblem;
import org.springframework.http.HttpStatus;

import java.time.Duration;
import java.util.List;

/** Why an account operation was refused; {@code AccountProblems} turns each into problem details. */
abstract sealed class AccountException extends RuntimeException {

    AccountException(String message) {
        super(message);
    }

    abstract HttpStatus status();

    /** 400: the input breaks the rules, each broken rule listed. */
    static final class Invalid extends AccountException {
        final List<FieldProblem> errors;

        Invalid(List<FieldProblem> errors) {
            super("The account cannot be created as given.");
            this.errors = List.copyOf(errors);
        }

        @Override
        HttpStatus status() {
            return HttpStatus.BAD_REQUEST;
        }
    }

    /** 404. */
    static final class NotFound extends AccountException {
        NotFound(String username) {
            super("There is no account '" + username + "'.");
        }

        @Override
        HttpStatus status() {
            return HttpStatus.NOT_FOUND;
        }
    }

    /** 409: the username is taken. */
    static final class Exists extends AccountException {
        Exists(String username) {
            super("The username '" + username + "' is taken.");
        }

        @Override
        HttpStatus status() {
            return HttpStatus.CONFLICT;
        }
    }

    /** 409: the change would leave the platform without an administrator. */
    static final class LastAdministrator extends AccountException {
        LastAdministrator(String username) {
            super("'" + username + "' is the last administrator: grant ADMIN to someone else first.");
        }

        @Override
        HttpStatus status() {
            return HttpStatus.CONFLICT;
        }
    }

    /** 429: too many registrations from one address. */
    static final class TooManyRegistrations extends AccountException {
        final Duration retryAfter;

        TooManyRegistrations(Duration retryAfter) {
            super("Too many accounts were created from this address; retry after " + seconds(retryAfter) + " s.");
            this.retryAfter = retryAfter;
        }

        static long seconds(Duration wait) {
            return Math.max(1, (wait.toMillis() + 999) / 1000);
        }

        @Override
        HttpStatus status() {
            return HttpStatus.TOO_MANY_REQUESTS;
        }
    }
}
