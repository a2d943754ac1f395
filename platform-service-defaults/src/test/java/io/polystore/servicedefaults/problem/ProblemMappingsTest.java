package io.polystore.servicedefaults.problem;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProblemMappingsTest {

    static class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    static class GoneForGood extends NotFound {
        GoneForGood() {
            super("gone");
        }
    }

    static class Conflict extends RuntimeException {
        final String state = "SHIPPED";

        Conflict() {
            super("in the way");
        }
    }

    private final ProblemMappings facts = ProblemMappings.builder()
            .status(NotFound.class, HttpStatus.NOT_FOUND)
            .status(Conflict.class, HttpStatus.CONFLICT, (conflict, problem) -> problem.setProperty("state", conflict.state))
            .status(IllegalStateException.class, HttpStatus.SERVICE_UNAVAILABLE, "The store is unavailable.")
            .build();

    @Test
    void aMappedExceptionAnswersItsStatusWithItsMessage() {
        ProblemDetail problem = facts.problemFor(new NotFound("No order 42")).orElseThrow();

        assertThat(problem.getStatus()).isEqualTo(404);
        assertThat(problem.getDetail()).isEqualTo("No order 42");
    }

    @Test
    void subclassesAreCoveredByTheirMappedSupertype() {
        assertThat(facts.problemFor(new GoneForGood()).orElseThrow().getStatus()).isEqualTo(404);
    }

    @Test
    void propertiesAndFixedDetailsAreAdded() {
        assertThat(facts.problemFor(new Conflict()).orElseThrow().getProperties()).isEqualTo(Map.of("state", "SHIPPED"));
        assertThat(facts.problemFor(new IllegalStateException("password=secret")).orElseThrow().getDetail())
                .isEqualTo("The store is unavailable.");
    }

    @Test
    void unmappedExceptionsAreLeftToTheHandler() {
        assertThat(facts.problemFor(new IllegalArgumentException("x"))).isEmpty();
    }

    @Test
    void aTypeMappedTwiceIsAMistake() {
        assertThatThrownBy(() -> ProblemMappings.builder().status(NotFound.class, HttpStatus.NOT_FOUND)
                .status(NotFound.class, HttpStatus.GONE)).isInstanceOf(IllegalArgumentException.class);
    }
}
