package io.polystore.servicedefaults.problem;

/** One offending input: where it is ({@code lines[0].quantity}, a query parameter, a header) and what is wrong. */
public record FieldProblem(String field, String reason) {
}
