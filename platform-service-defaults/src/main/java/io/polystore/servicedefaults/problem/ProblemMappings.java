package io.polystore.servicedefaults.problem;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * A service's facts for the platform's problem details: which of its exceptions (or of its libraries') answer with
 * which status. {@link ProblemDetailsExceptionHandler}, the one handler, consults every bean of this type, so a
 * service declares its facts and writes no exception advice of its own:
 * <pre>{@code
 * @Bean
 * ProblemMappings orderProblems() {
 *     return ProblemMappings.builder()
 *             .status(OrderNotFoundException.class, HttpStatus.NOT_FOUND)
 *             .status(OrderStateConflictException.class, HttpStatus.CONFLICT,
 *                     (conflict, problem) -> problem.setProperty("orderStatus", conflict.status()))
 *             .status(SurrealTransportException.class, HttpStatus.SERVICE_UNAVAILABLE, "The database is unavailable.")
 *             .build();
 * }
 * }</pre>
 * A mapping covers the type's subclasses; the most specific mapped type of an exception (or of its causes) wins.
 */
public final class ProblemMappings {

    private record Mapping(HttpStatus status, String fixedDetail, BiConsumer<Throwable, ProblemDetail> properties) {
    }

    private final Map<Class<?>, Mapping> mappings;

    private ProblemMappings(Map<Class<?>, Mapping> mappings) {
        this.mappings = Map.copyOf(mappings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every status these facts answer with: what the service's API documents. */
    public Set<HttpStatus> statuses() {
        return mappings.values().stream().map(Mapping::status).collect(Collectors.toUnmodifiableSet());
    }

    /** The problem for {@code failure} if this type or one of its supertypes is mapped; the cause is not looked at. */
    Optional<ProblemDetail> problemFor(Throwable failure) {
        for (Class<?> type = failure.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            Mapping mapping = mappings.get(type);
            if (mapping != null) {
                String detail = mapping.fixedDetail() != null ? mapping.fixedDetail() : failure.getMessage();
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(mapping.status(), detail);
                mapping.properties().accept(failure, problem);
                return Optional.of(problem);
            }
        }
        return Optional.empty();
    }

    public static final class Builder {

        private final Map<Class<?>, Mapping> mappings = new LinkedHashMap<>();

        private Builder() {
        }

        /** Exceptions of {@code type} answer {@code status}, with their message as the detail. */
        public Builder status(Class<? extends Throwable> type, HttpStatus status) {
            return add(type, new Mapping(status, null, (failure, problem) -> {
            }));
        }

        /** As {@link #status(Class, HttpStatus)}, and {@code properties} adds members to the problem. */
        @SuppressWarnings("unchecked")
        public <E extends Throwable> Builder status(Class<E> type, HttpStatus status,
                                                    BiConsumer<? super E, ProblemDetail> properties) {
            return add(type, new Mapping(status, null, (failure, problem) -> properties.accept((E) failure, problem)));
        }

        /** Exceptions of {@code type} answer {@code status} with a fixed detail: their message may reveal internals. */
        public Builder status(Class<? extends Throwable> type, HttpStatus status, String detail) {
            return add(type, new Mapping(status, detail, (failure, problem) -> {
            }));
        }

        public ProblemMappings build() {
            return new ProblemMappings(mappings);
        }

        private Builder add(Class<? extends Throwable> type, Mapping mapping) {
            if (mappings.putIfAbsent(type, mapping) != null) {
                throw new IllegalArgumentException(type.getName() + " is mapped twice");
            }
            return this;
        }
    }
}
