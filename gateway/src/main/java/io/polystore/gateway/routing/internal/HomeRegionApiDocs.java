package io.polystore.gateway.routing.internal;

import io.polystore.gateway.routing.HomeRegionRequests;
import io.polystore.gateway.routing.HomeRegionRequests.Forwarding;
import io.polystore.servicedefaults.openapi.ProblemResponsesCustomizer;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the API documents say about the operations the gateway forwards to a customer's home region
 * ({@link HomeRegionRequests#forwarding}): in the operation's description, that it is forwarded with
 * {@value HomeRegionForwarding#FORWARDED_FROM} and what happens while the home region is down; the replica's
 * {@value HomeRegionForwarding#SERVED_FROM} and {@value #REPLICA_OF} headers on a read's 200; and what 502, 503 and
 * 504 then mean ({@code home-region-unavailable}; sent and perhaps carried out). The services' documents get it as the
 * gateway passes them on ({@link ApiDocsRewriter}), the gateway's own (its account) as springdoc writes it.
 */
public final class HomeRegionApiDocs implements GlobalOpenApiCustomizer {

    /** order-service's header on the replica's answers, which the gateway passes on. */
    static final String REPLICA_OF = "Polystore-Replica-Of";

    static final String FORWARDED = "Through the gateway, a customer homed in another region (their token's region claim)"
            + " is served by their home region: the gateway forwards this request to that region's gateway, adding "
            + HomeRegionForwarding.FORWARDED_FROM + " (this region's name; a request carrying it is not forwarded"
            + " again), and passes back its answer, whose Polystore-Region names the home region.";
    static final String WHILE_DOWN_REPLICA = " While the home region cannot be reached, this region answers from its"
            + " read-only replica of the customer's orders, without personal data, with "
            + HomeRegionForwarding.SERVED_FROM + ": replica and " + REPLICA_OF + ": <home region>.";
    static final String WHILE_DOWN_REFUSED = " While the home region cannot be reached, 503 "
            + HomeRegionForwarding.HOME_REGION_UNAVAILABLE + ": nothing was sent there, nothing changed.";
    static final String BAD_GATEWAY = "For a customer homed in another region: the exchange with their home region"
            + " broke after the request was sent, so it may have been carried out there (the problem names homeRegion"
            + " and region).";
    static final String BAD_GATEWAY_READ = "For a customer homed in another region: the exchange with their home"
            + " region failed (the problem names homeRegion and region).";
    static final String SERVICE_UNAVAILABLE = "For a customer homed in another region: their home region cannot be"
            + " reached (" + HomeRegionForwarding.HOME_REGION_UNAVAILABLE + ", with homeRegion and region; Retry-After"
            + " is the wait before it is tried again); nothing was sent there, nothing changed.";
    static final String SERVICE_UNAVAILABLE_REPLICA = "For a customer homed in another region: neither their home region"
            + " nor this region's replica of their orders can be reached (" + HomeRegionForwarding.HOME_REGION_UNAVAILABLE
            + ", with homeRegion and region; Retry-After is the wait before the home region is tried again).";
    static final String GATEWAY_TIMEOUT = "For a customer homed in another region: their home region did not answer"
            + " in time, and the request may have been carried out there.";
    static final String SERVED_FROM_HEADER = "Present when this region answered from its replica of the orders of"
            + " another region, the customer's home region, which could not be reached: the orders as last replicated,"
            + " read-only, without personal data.";
    static final String REPLICA_OF_HEADER = "With " + HomeRegionForwarding.SERVED_FROM + ": the home region whose orders"
            + " the replica holds.";

    private static final String PROBLEM = "#/components/schemas/" + ProblemResponsesCustomizer.PROBLEM_SCHEMA;

    /** The gateway's own document: its operations that are forwarded (reading one's account). */
    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                HomeRegionRequests.forwarding(HttpMethod.valueOf(method.name()), path).ifPresent(forwarding -> {
                    boolean read = method == PathItem.HttpMethod.GET;
                    operation.setDescription(join(operation.getDescription(), note(forwarding)));
                    ApiResponses responses = operation.getResponses();
                    for (Map.Entry<HttpStatus, String> answer : answers(forwarding, read).entrySet()) {
                        ApiResponse response = responses.computeIfAbsent(Integer.toString(answer.getKey().value()),
                                code -> new ApiResponse());
                        response.setDescription(join(response.getDescription(), answer.getValue()));
                        response.setContent(new Content().addMediaType(ProblemResponsesCustomizer.PROBLEM_MEDIA_TYPE,
                                new MediaType().schema(new JsonSchema().$ref(PROBLEM))));
                        if (answer.getKey() == HttpStatus.SERVICE_UNAVAILABLE) {
                            response.addHeaderObject(HttpHeaders.RETRY_AFTER, new Header()
                                    .description("Seconds to wait before trying again")
                                    .schema(new JsonSchema().typesItem("integer").minimum(BigDecimal.ONE)));
                        }
                    }
                    ApiResponses sorted = new ApiResponses();
                    new TreeMap<>(responses).forEach(sorted::addApiResponse);
                    operation.setResponses(sorted);
                })));
    }

    /**
     * A service's operation, as the gateway passes its document on ({@code pathTemplate} with the gateway's prefix),
     * after {@link ApiDocsRewriter} added the gateway's own 502, 503 and 504.
     */
    static void describe(String method, String pathTemplate, JsonNode operation) {
        if (!(operation instanceof ObjectNode described)) {
            return;
        }
        HomeRegionRequests.forwarding(HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)), pathTemplate)
                .ifPresent(forwarding -> {
                    described.put("description", join(described.path("description").asString(null), note(forwarding)));
                    answers(forwarding, method.equalsIgnoreCase("get")).forEach((status, text) -> {
                        ObjectNode response = described.withObject("/responses").withObject("/" + status.value());
                        response.put("description", join(response.path("description").asString(null), text));
                    });
                    if (forwarding == Forwarding.FORWARDED_OR_REPLICA) {
                        ObjectNode headers = described.withObject("/responses").withObject("/200").withObject("/headers");
                        headers.putObject(HomeRegionForwarding.SERVED_FROM).put("description", SERVED_FROM_HEADER)
                                .putObject("schema").put("type", "string").putArray("enum").add("replica");
                        headers.putObject(REPLICA_OF).put("description", REPLICA_OF_HEADER)
                                .putObject("schema").put("type", "string");
                    }
                });
    }

    private static String note(Forwarding forwarding) {
        return FORWARDED + (forwarding == Forwarding.FORWARDED_OR_REPLICA ? WHILE_DOWN_REPLICA : WHILE_DOWN_REFUSED);
    }

    /**
     * What forwarding adds to each answer. A read that times out is taken for a region that is down (503 or the
     * replica), so only a change gets 504.
     */
    private static Map<HttpStatus, String> answers(Forwarding forwarding, boolean read) {
        Map<HttpStatus, String> answers = new TreeMap<>();
        answers.put(HttpStatus.BAD_GATEWAY, read ? BAD_GATEWAY_READ : BAD_GATEWAY);
        answers.put(HttpStatus.SERVICE_UNAVAILABLE,
                forwarding == Forwarding.FORWARDED_OR_REPLICA ? SERVICE_UNAVAILABLE_REPLICA : SERVICE_UNAVAILABLE);
        if (!read) {
            answers.put(HttpStatus.GATEWAY_TIMEOUT, GATEWAY_TIMEOUT);
        }
        return answers;
    }

    private static String join(String description, String addition) {
        return description == null || description.isBlank() ? addition : description.strip() + " " + addition;
    }
}
