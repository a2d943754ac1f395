package io.polystore.gateway.routing;

import io.polystore.servicedefaults.security.TokenRules;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.util.UriUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that says which requests only a customer's home region can serve: order-service's
 * {@code @HomeRegionOnly} endpoints (placing, listing, reading and cancelling one's orders, an order's history,
 * exporting and erasing one's personal data), as the gateway's routes expose them, with the same exceptions as
 * order-service's rule (staff acting for any customer, another customer's data); and reading one's own account
 * ({@code GET /api/account}), which only the home region's gateway holds. Such a request from a customer whose
 * token names another region is what order-service would refuse with 421 (or, for the account, what this gateway
 * would answer with another person's account of the same name): the gateway forwards it to that region
 * instead. Reads of one's orders have a replica in every region ({@code /orders/replica}), used while the home region
 * is down.
 */
public final class HomeRegionRequests {

    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD);
    private static final Set<String> STAFF_READING_ANY_ORDER = Set.of("ORDER_MANAGER", "ADMIN", "AUDITOR");
    private static final Set<String> STAFF_CANCELLING_ANY_ORDER = Set.of("ORDER_MANAGER", "ADMIN");
    /** Paths beside {@code /orders/{id}} that every region serves itself. */
    private static final Set<String> NOT_AN_ORDER_ID = Set.of("all", "replica");

    /**
     * @param replicaPath the path of the same read on the own region's order-service replica, {@code {orderId}}
     *                    replaced; null where no replica serves it
     */
    private record Rule(Set<HttpMethod> methods, PathPattern pattern, Set<String> unlessRole,
                        @Nullable String customerVariable, @Nullable String replicaPath) {
    }

    private static final PathPatternParser PARSER = PathPatternParser.defaultInstance;
    private static final List<Rule> RULES = List.of(
            new Rule(Set.of(HttpMethod.POST), PARSER.parse("/api/orders"), Set.of(), null, null),
            new Rule(READS, PARSER.parse("/api/orders"), Set.of(), null, "/orders/replica"),
            new Rule(READS, PARSER.parse("/api/orders/{orderId}"), STAFF_READING_ANY_ORDER, null,
                    "/orders/replica/{orderId}"),
            new Rule(READS, PARSER.parse("/api/orders/{orderId}/history"), STAFF_READING_ANY_ORDER, null, null),
            new Rule(Set.of(HttpMethod.POST), PARSER.parse("/api/orders/{orderId}/cancel"), STAFF_CANCELLING_ANY_ORDER,
                    null, null),
            new Rule(Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.DELETE),
                    PARSER.parse("/api/customers/{customerId}/personal-data"), Set.of(), "customerId", null),
            // One's own account is kept by the home region's gateway: here, the same username may be someone else's.
            new Rule(READS, PARSER.parse("/api/account"), Set.of(), null, null));

    /**
     * A request that only the caller's home region can serve.
     *
     * @param homeRegion  the caller's home region (their token's {@code region} claim), another than this one
     * @param replicaPath the same read on the own region's order-service replica (path only), or empty
     */
    public record HomeRegionRequest(String homeRegion, Optional<String> replicaPath) {
    }

    /** What the gateway does with an operation for a customer homed in another region, as the API documents say. */
    public enum Forwarding {
        /** Forwarded to the home region; refused with 503 while it cannot be reached. */
        FORWARDED,
        /** Forwarded to the home region; served from this region's replica while it cannot be reached. */
        FORWARDED_OR_REPLICA
    }

    private final String region;

    /**
     * How the gateway treats the operation {@code method pathTemplate} (as the API documents write it, e.g.
     * {@code /api/orders/{orderId}}) for a customer homed in another region; empty when every region serves it
     * itself. Whether one request is forwarded also depends on the caller (staff reading any order, another
     * customer's personal data), which {@link #homeRegionNeeded} judges.
     */
    public static Optional<Forwarding> forwarding(HttpMethod method, String pathTemplate) {
        PathContainer container = PathContainer.parsePath(pathTemplate);
        for (Rule rule : RULES) {
            PathPattern.PathMatchInfo match = rule.methods().contains(method) ? rule.pattern().matchAndExtract(container) : null;
            if (match != null && !NOT_AN_ORDER_ID.contains(match.getUriVariables().getOrDefault("orderId", ""))) {
                return Optional.of(rule.replicaPath() == null ? Forwarding.FORWARDED : Forwarding.FORWARDED_OR_REPLICA);
            }
        }
        return Optional.empty();
    }

    /** @param region this gateway's region */
    public HomeRegionRequests(String region) {
        this.region = region;
    }

    /**
     * The home region {@code method path} needs, when the caller ({@code token}) is homed in another region than this
     * one and the request reads or changes their own orders or personal data; empty when this region serves it.
     */
    public Optional<HomeRegionRequest> homeRegionNeeded(HttpMethod method, String path, Jwt token) {
        @Nullable String homeRegion = token.getClaimAsString(TokenRules.HOME_REGION_CLAIM);
        if (homeRegion == null || homeRegion.equals(region)) {
            return Optional.empty();
        }
        PathContainer container = PathContainer.parsePath(path);
        List<String> roles = Optional.ofNullable(token.getClaimAsStringList("roles")).orElse(List.of());
        for (Rule rule : RULES) {
            if (!rule.methods().contains(method)) {
                continue;
            }
            PathPattern.PathMatchInfo match = rule.pattern().matchAndExtract(container);
            if (match == null) {
                continue;
            }
            Map<String, String> variables = match.getUriVariables();
            if (NOT_AN_ORDER_ID.contains(variables.getOrDefault("orderId", ""))
                    || roles.stream().anyMatch(rule.unlessRole()::contains)
                    || rule.customerVariable() != null && !variables.get(rule.customerVariable()).equals(token.getSubject())) {
                return Optional.empty();
            }
            return Optional.of(new HomeRegionRequest(homeRegion, Optional.ofNullable(rule.replicaPath())
                    .map(replica -> replica.replace("{orderId}", UriUtils.encodePathSegment(
                            variables.getOrDefault("orderId", ""), StandardCharsets.UTF_8)))));
        }
        return Optional.empty();
    }
}
