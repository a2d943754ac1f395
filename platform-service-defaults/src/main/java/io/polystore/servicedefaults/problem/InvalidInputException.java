package io.polystore.servicedefaults.problem;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Input that passed Bean Validation but is still wrong (an unknown product, a cursor this API did not issue, a range
 * the wrong way round): answered 400, listing each offending field and its reason in {@code errors}.
 */
public class InvalidInputException extends RuntimeException {

    private final List<FieldProblem> problems;

    public InvalidInputException(String field, String reason) {
        this(List.of(new FieldProblem(field, reason)));
    }

    public InvalidInputException(List<FieldProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    /** {@code field: reason; field: reason}, the detail of the problem. */
    static String describe(List<FieldProblem> problems) {
        return problems.stream().map(problem -> problem.field() + ": " + problem.reason()).collect(Collectors.joining("; "));
    }
}
