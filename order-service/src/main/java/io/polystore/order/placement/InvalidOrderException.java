package io.polystore.order.placement;

import io.polystore.servicedefaults.problem.ProblemDetailsExceptionHandler.FieldProblem;

import java.util.List;

/** Input that passes Bean Validation but not the order rules, e.g. a product without a price. */
class InvalidOrderException extends RuntimeException {

    private final List<FieldProblem> problems;

    InvalidOrderException(List<FieldProblem> problems) {
        super(problems.stream().map(problem -> problem.field() + ": " + problem.reason())
                .reduce((a, b) -> a + "; " + b).orElse("invalid order"));
        this.problems = List.copyOf(problems);
    }

    InvalidOrderException(String field, String reason) {
        this(List.of(new FieldProblem(field, reason)));
    }

    List<FieldProblem> problems() {
        return problems;
    }
}
