package io.polystore.gateway.routing.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.polystore.gateway.access.AccessAttributes;
import io.polystore.gateway.routing.HomeRegionRequests;
import io.polystore.gateway.routing.HomeRegionRequests.HomeRegionRequest;
import io.polystore.servicedefaults.region.KnownRegions;
import io.polystore.servicedefaults.web.RequestBodyTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Serves a customer homed in another region through this region's gateway: a request that only their home region
 * can serve ({@link HomeRegionRequests}) is forwarded to that region's gateway ({@code polystore.region.gateways}, or announced by its region: {@link KnownRegions}),
 * with the same method, path, query, headers (their bearer token among them) and body, and its answer is passed back
 * as it came (its {@code Polystore-Region} names the home region). The home region's gateway serves its own customers
 * itself, so a request is forwarded at most once; a request that already was ({@value #FORWARDED_FROM}) never is
 * again. A region whose gateway is not listed is left to order-service's 421.
 *
 * <p>While the home region cannot be reached (refused or timed-out connection, or its circuit breaker
 * {@code home-region-<region>} open after repeated failures), reading one's orders ({@code GET /api/orders},
 * {@code GET /api/orders/{id}}) is served from this region's order-service replica, marked
 * {@value #SERVED_FROM}{@code : replica}; everything else is refused with 503 {@code home-region-unavailable}, a
 * {@code Retry-After} and the {@code homeRegion}. Nothing was sent to the home region then, so nothing changed. The
 * breaker lets requests through again after its wait: the region is tried again, not written off.
 */
public final class HomeRegionForwarding extends OncePerRequestFilter {

    /** The region whose gateway forwarded the request, on the forwarded request. */
    public static final String FORWARDED_FROM = "Polystore-Forwarded-From";
    /** On a response this region served from its replica because the home region was down: {@code replica}. */
    public static final String SERVED_FROM = "Polystore-Served-From";
    public static final URI HOME_REGION_UNAVAILABLE = URI.create("urn:polystore:problem:home-region-unavailable");
    /** The access audit's route name for a forwarded request, and the breaker's prefix. */
    static final String ROUTE = "home-region";

    private static final Logger log = LoggerFactory.getLogger(HomeRegionForwarding.class);
    /** Hop-by-hop headers (RFC 9110 7.6.1), and those the HTTP client sets itself. */
    private static final Set<String> NOT_PASSED_ON = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length");

    /** This region, and every other region's gateway: listed, or announced while the gateway runs. */
    private final KnownRegions region;
    private final HomeRegionRequests rules;
    private final CircuitBreakerRegistry breakers;
    private final ClientHttpRequestFactory client;
    private final URI orders;
    private final UpstreamInstances instances;
    private final JsonMapper json;

    /**
     * @param client the HTTP client for both the home region's gateway and the own order-service: redirects not
     *               followed, the gateway's timeouts
     * @param orders this region's order-service ({@code polystore.services.orders})
     */
    public HomeRegionForwarding(KnownRegions region, CircuitBreakerRegistry breakers, ClientHttpRequestFactory client,
                                URI orders, UpstreamInstances instances, JsonMapper json) {
        this.region = region;
        this.rules = new HomeRegionRequests(region.name());
        this.breakers = breakers;
        this.client = client;
        this.orders = orders;
        this.instances = instances;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return region.otherGateways().isEmpty() || request.getHeader(FORWARDED_FROM) != null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        Optional<HomeRegionRequest> needed = caller instanceof JwtAuthenticationToken token
                ? rules.homeRegionNeeded(HttpMethod.valueOf(request.getMethod()), request.getRequestURI(), token.getToken())
                : Optional.empty();
        Optional<URI> gateway = needed.flatMap(home -> region.gatewayOf(home.homeRegion()));
        if (gateway.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(AccessAttributes.ROUTE, ROUTE);
        forward(request, response, needed.get(), gateway.get());
    }

    private void forward(HttpServletRequest request, HttpServletResponse response, HomeRegionRequest home, URI gateway)
            throws IOException {
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        } catch (RequestBodyTooLargeException e) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
            problem(request, response, HttpStatus.CONTENT_TOO_LARGE, null, e.getMessage(), null, null);
            return;
        }
        CircuitBreaker breaker = breakers.circuitBreaker(ROUTE + "-" + home.homeRegion());
        if (!breaker.tryAcquirePermission()) {
            homeRegionDown(request, response, home, waitOf(breaker));
            return;
        }
        URI target = URI.create(gateway.toString().replaceAll("/+$", "") + request.getRequestURI()
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString()));
        boolean read = HttpMethod.GET.matches(request.getMethod()) || HttpMethod.HEAD.matches(request.getMethod());
        boolean idempotent = read || request.getHeader(ReplayableBody.IDEMPOTENCY_KEY) != null;
        long started = System.nanoTime();
        ClientHttpResponse answer;
        try {
            try {
                answer = send(request, target, body);
            } catch (IOException broken) {
                // A pooled connection the home region closed (it stopped, or restarted): once more on a new one.
                if (!(idempotent && ResilientUpstream.brokeWithoutAnswer(broken))
                        || ResilientUpstream.isUnreachable(broken)) {
                    throw broken;
                }
                answer = send(request, target, body);
            }
        } catch (IOException failure) {
            breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, failure);
            boolean timedOut = ResilientUpstream.causedBy(failure, SocketTimeoutException.class)
                    || ResilientUpstream.causedBy(failure, HttpTimeoutException.class);
            if (ResilientUpstream.isUnreachable(failure) || read && timedOut) {
                log.warn("The home region {} at {} cannot be reached: {}", home.homeRegion(), gateway, failure.toString());
                homeRegionDown(request, response, home, waitOf(breaker));
            } else if (timedOut) {
                // Sent, and perhaps done there: not "nothing changed".
                problem(request, response, HttpStatus.GATEWAY_TIMEOUT, null, "The home region " + home.homeRegion()
                        + " did not answer in time; the request may have been carried out there.", home.homeRegion(), null);
            } else {
                problem(request, response, HttpStatus.BAD_GATEWAY, null, "The exchange with the home region "
                        + home.homeRegion() + " failed; the request may have been carried out there.", home.homeRegion(), null);
            }
            return;
        }
        breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        try (ClientHttpResponse answered = answer) {
            passBack(answered, response);
        }
    }

    private ClientHttpResponse send(HttpServletRequest request, URI target, byte[] body) throws IOException {
        ClientHttpRequest out = client.createRequest(target, HttpMethod.valueOf(request.getMethod()));
        copyRequestHeaders(request, out.getHeaders());
        out.getHeaders().set(FORWARDED_FROM, region.name());
        if (body.length > 0) {
            out.getBody().write(body);
        }
        return out.execute();
    }

    /** The replica for reads of one's orders, else 503: nothing was sent to the home region. */
    private void homeRegionDown(HttpServletRequest request, HttpServletResponse response, HomeRegionRequest home,
                                Duration retryAfter) throws IOException {
        if (home.replicaPath().isPresent()) {
            URI replica = instances.attempts(URI.create(orders.toString().replaceAll("/+$", "") + home.replicaPath().get()
                    + (request.getQueryString() == null ? "" : "?" + request.getQueryString()))).getFirst();
            try {
                ClientHttpRequest out = client.createRequest(replica, HttpMethod.valueOf(request.getMethod()));
                copyRequestHeaders(request, out.getHeaders());
                try (ClientHttpResponse answer = out.execute()) {
                    response.setHeader(SERVED_FROM, "replica");
                    passBack(answer, response);
                }
                return;
            } catch (IOException failure) {
                log.warn("Neither the home region {} nor this region's replica at {} can be reached: {}",
                        home.homeRegion(), replica, failure.toString());
            }
        }
        problem(request, response, HttpStatus.SERVICE_UNAVAILABLE, HOME_REGION_UNAVAILABLE, "The home region "
                + home.homeRegion() + ", where this customer's orders and personal data are kept, cannot be reached; "
                + "nothing was changed. Retry later.", home.homeRegion(), retryAfter);
    }

    private static void copyRequestHeaders(HttpServletRequest request, HttpHeaders headers) {
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            // The sign-in session cookie is the gateway's own, as on every route.
            if (!NOT_PASSED_ON.contains(lower) && !lower.equals("cookie")) {
                Collections.list(request.getHeaders(name)).forEach(value -> headers.add(name, value));
            }
        }
    }

    private static void passBack(ClientHttpResponse answer, HttpServletResponse response) throws IOException {
        response.setStatus(answer.getStatusCode().value());
        answer.getHeaders().forEach((name, values) -> {
            if (!NOT_PASSED_ON.contains(name.toLowerCase(Locale.ROOT)) || name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(value -> response.addHeader(name, value));
            }
        });
        answer.getBody().transferTo(response.getOutputStream());
    }

    private static Duration waitOf(CircuitBreaker breaker) {
        return Duration.ofMillis(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
    }

    private void problem(HttpServletRequest request, HttpServletResponse response, HttpStatus status, URI type,
                         String detail, String homeRegion, Duration retryAfter) throws IOException {
        request.setAttribute(AccessAttributes.REFUSED, Boolean.TRUE);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type == null ? "about:blank" : type.toString());
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        if (homeRegion != null) {
            problem.put("homeRegion", homeRegion);
            problem.put("region", region.name());
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (retryAfter != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        }
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }
}
