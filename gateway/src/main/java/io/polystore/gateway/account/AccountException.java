package io.polystore.gateway.account;

/** Why an account operation was refused; {@code AccountConfiguration} maps each to its status. */
abstract sealed class AccountException extends RuntimeException {

    AccountException(String message) {
        super(message);
    }

    /** 404. */
    static final class NotFound extends AccountException {
        NotFound(String username) {
            super("There is no account '" + username + "'.");
        }
    }

    /** 409: the username is taken. */
    static final class Exists extends AccountException {
        Exists(String username) {
            super("The username '" + username + "' is taken.");
        }
    }

    /** 409: the change would leave the platform without an administrator. */
    static final class LastAdministrator extends AccountException {
        LastAdministrator(String username) {
            super("'" + username + "' is the last administrator: grant ADMIN to someone else first.");
        }
    }
}
