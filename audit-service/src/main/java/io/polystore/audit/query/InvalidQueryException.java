package io.polystore.audit.query;

/** A query parameter the API cannot use; answered with 400 naming the parameter. */
public class InvalidQueryException extends RuntimeException {

    private final String parameter;

    public InvalidQueryException(String parameter, String reason) {
        super(reason);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
