package io.polystore.sync.federation;

/** A report's parameters that do not fit together; {@link #field()} names the offending one. */
public final class InvalidReportRequestException extends RuntimeException {

    private final String field;

    public InvalidReportRequestException(String field, String reason) {
        super(reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
