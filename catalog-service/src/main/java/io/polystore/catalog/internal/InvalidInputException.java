package io.polystore.catalog.internal;

import io.polystore.servicedefaults.problem.ProblemDetailsExceptionHandler.FieldProblem;

import java.util.List;

/** Input that passed Bean Validation but is still wrong, such as an unknown category id: 400 naming the fields. */
public class InvalidInputException extends RuntimeException {

    private final List<FieldProblem> problems;

    public InvalidInputException(String field, String reason) {
        this(List.of(new FieldProblem(field, reason)));
    }

    public InvalidInputException(List<FieldProblem> problems) {
        super(problems.toString());
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
