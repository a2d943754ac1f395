package io.polystore.surrealdb;

/** SurrealDB refused the credentials or the token, or the request needs a signed-in user. */
public class SurrealAuthenticationException extends SurrealException {

    public SurrealAuthenticationException(String message) {
        super(message);
    }
}
