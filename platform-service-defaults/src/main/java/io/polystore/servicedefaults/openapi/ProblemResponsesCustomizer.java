package io.polystore.servicedefaults.openapi;

import io.polystore.servicedefaults.problem.ProblemMappings;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Documents every error an operation can answer, derived from what the platform does rather than written per
 * controller: 400 with the fields at fault where there is input, 401 and 403 where a token is needed, 404 where the
 * path names a resource and the service maps an exception to 404, 413 and 415 where a body is accepted, 500, and the
 * service's own 5xx facts ({@link ProblemMappings}) everywhere. Every error response, these and those a controller
 * declares with {@code @ApiResponse}, carries the one {@code Problem} schema of RFC 9457 problem details. A 201 says
 * where the new resource is ({@code Location}). Only operations of controllers are derived: what a service describes
 * by hand (filters, e.g. the gateway's OAuth2 endpoints) keeps what it says.
 */
public class ProblemResponsesCustomizer implements GlobalOperationCustomizer, GlobalOpenApiCustomizer {

    public static final String PROBLEM_SCHEMA = "Problem";
    public static final String PROBLEM_MEDIA_TYPE = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String FIELD_PROBLEM_SCHEMA = "FieldProblem";

    private final Set<HttpStatus> mappedStatuses;

    public ProblemResponsesCustomizer(Collection<ProblemMappings> mappings) {
        this.mappedStatuses = mappings.stream().flatMap(facts -> facts.statuses().stream()).collect(Collectors.toSet());
    }

    /** The operation of a controller method; without a security requirement of its own, the bearer token's applies. */
    @Override
    public Operation customize(Operation operation, HandlerMethod handlerMethod) {
        document(operation, operation.getSecurity() == null || !operation.getSecurity().isEmpty());
        return operation;
    }

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getPaths() != null && !openApi.getPaths().isEmpty()) {
            addProblemSchemas(openApi.getComponents() == null ? openApi.components(new Components()).getComponents()
                    : openApi.getComponents());
        }
    }

    private void document(Operation operation, boolean secured) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        boolean body = operation.getRequestBody() != null;
        if (body || parameters.stream().anyMatch(ProblemResponsesCustomizer::canBeInvalid)) {
            add(responses, HttpStatus.BAD_REQUEST, "The input is invalid: errors names each field at fault and why.");
        }
        if (secured) {
            add(responses, HttpStatus.UNAUTHORIZED, "The bearer token is missing, expired or invalid.");
            add(responses, HttpStatus.FORBIDDEN, "The token's roles do not allow this operation.");
        }
        boolean namesResource = parameters.stream().anyMatch(parameter -> "path".equals(parameter.getIn()));
        if (mappedStatuses.contains(HttpStatus.NOT_FOUND) && namesResource) {
            add(responses, HttpStatus.NOT_FOUND, "Nothing exists at this path, or not for this caller.");
        }
        if (body) {
            add(responses, HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than the limit.");
            add(responses, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "The body is not of a content type this operation reads.");
        }
        add(responses, HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected failure; the problem reveals nothing internal.");
        mappedStatuses.stream().filter(HttpStatus::is5xxServerError)
                .forEach(status -> add(responses, status, "The service cannot answer now, e.g. a store it needs is down."));
        responses.forEach((code, response) -> {
            // springdoc gives a declared error the operation's return type; the body is a problem.
            boolean problem = response.getContent() != null && response.getContent().containsKey(PROBLEM_MEDIA_TYPE);
            if (isError(code) && !problem) {
                response.setContent(problemContent());
            }
            if ("201".equals(code) && (response.getHeaders() == null || !response.getHeaders().containsKey("Location"))) {
                response.addHeaderObject("Location", new Header().description("Where the new resource is")
                        .required(true).schema(new JsonSchema().typesItem("string").format("uri-reference")));
            }
        });
        operation.setResponses(sorted(responses));
    }

    /** A parameter whose value is checked: anything but a path segment taken as any string. */
    private static boolean canBeInvalid(Parameter parameter) {
        if (!"path".equals(parameter.getIn())) {
            return true;
        }
        Schema<?> schema = parameter.getSchema();
        if (schema == null || schema.getFormat() != null || schema.getPattern() != null || schema.getMaxLength() != null) {
            return true;
        }
        return !(schema.getTypes() == null ? Set.of(String.valueOf(schema.getType())) : schema.getTypes()).equals(Set.of("string"));
    }

    private static void add(ApiResponses responses, HttpStatus status, String description) {
        responses.computeIfAbsent(Integer.toString(status.value()), code -> new ApiResponse().description(description));
    }

    private static boolean isError(String code) {
        return code.length() == 3 && (code.startsWith("4") || code.startsWith("5"));
    }

    private static Content problemContent() {
        return new Content().addMediaType(PROBLEM_MEDIA_TYPE,
                new MediaType().schema(new JsonSchema().$ref("#/components/schemas/" + PROBLEM_SCHEMA)));
    }

    /** Success first, then the errors by status, so that a reader sees what an operation answers in order. */
    private static ApiResponses sorted(ApiResponses responses) {
        ApiResponses sorted = new ApiResponses();
        new TreeMap<>(responses).forEach(sorted::addApiResponse);
        sorted.setExtensions(responses.getExtensions());
        return sorted;
    }

    /** The {@code Problem} and {@code FieldProblem} schemas that error responses refer to. */
    public static void addProblemSchemas(Components components) {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new JsonSchema().typesItem("string").format("uri-reference")
                .description("Identifies the kind of problem; about:blank when the status says it all"));
        properties.put("title", new JsonSchema().typesItem("string").description("The status's reason phrase"));
        properties.put("status", new JsonSchema().typesItem("integer").format("int32").description("The HTTP status"));
        properties.put("detail", new JsonSchema().typesItem("string").description("What went wrong, for people"));
        properties.put("instance", new JsonSchema().typesItem("string").format("uri-reference")
                .description("The path of the request"));
        properties.put("errors", new JsonSchema().typesItem("array")
                .items(new JsonSchema().$ref("#/components/schemas/" + FIELD_PROBLEM_SCHEMA))
                .description("For invalid input: each offending field and its reason"));
        components.addSchemas(PROBLEM_SCHEMA, new JsonSchema().typesItem("object")
                .description("RFC 9457 problem details. Some problems add members of their own, e.g. orderStatus on a 409 "
                        + "about an order's state.")
                .properties(properties).required(List.of("title", "status")));
        Map<String, Schema> field = new LinkedHashMap<>();
        field.put("field", new JsonSchema().typesItem("string")
                .description("Where: a body field such as lines[0].quantity, a query parameter or a header"));
        field.put("reason", new JsonSchema().typesItem("string").description("What is wrong with it"));
        components.addSchemas(FIELD_PROBLEM_SCHEMA, new JsonSchema().typesItem("object").properties(field)
                .required(List.of("field", "reason")));
    }
}
