package io.polystore.gateway.routing.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.polystore.gateway.access.AccessAttributes;
import io.polystore.gateway.routing.RoutingProperties;
import io.polystore.servicedefaults.web.RequestBodyTooLargeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Guards the call to a service: a Resilience4j circuit breaker per route, which opens when the service keeps failing
 * and then answers 503 at once; retries, each on the service's next instance ({@link UpstreamInstances}); and problem
 * details instead of a bare error when the service is down (503), too slow (504) or broke the exchange (502).
 * Retried are: any request that could not reach the instance (nothing was sent); idempotent requests (reads without
 * a body, and requests with an {@code Idempotency-Key}, whose body {@link ReplayableBody} keeps) whose exchange broke
 * without an answer, as when the instance died mid-request; reads answered 502 or 503, and requests with an
 * {@code Idempotency-Key} answered so by one instance, on each other instance once. Never a timeout: the service may
 * still be working on it.
 */
public final class ResilientUpstream implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Set<Integer> RETRYABLE_STATUSES = Set.of(502, 503);
    /** Upstream answers that count against the service's circuit breaker. */
    private static final Set<Integer> FAILURE_STATUSES = Set.of(502, 503, 504);

    private final String routeId;
    private volatile Dependencies dependencies;

    public ResilientUpstream(String routeId) {
        this.routeId = routeId;
    }

    private record Dependencies(CircuitBreaker breaker, RoutingProperties routing, UpstreamInstances instances) {
    }

    @Override
    public ServerResponse filter(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
        request.servletRequest().setAttribute(AccessAttributes.ROUTE, routeId);
        Dependencies resolved = dependencies(request);
        CircuitBreaker breaker = resolved.breaker();
        if (!breaker.tryAcquirePermission()) {
            // At most this long until the breaker lets a trial call through again.
            Duration wait = Duration.ofMillis(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
            return problem(request, HttpStatus.SERVICE_UNAVAILABLE,
                    "The " + routeId + " service is unavailable; retry later.", wait);
        }
        long started = System.nanoTime();
        try {
            ServerResponse response = callWithRetries(request, next, resolved.routing(), resolved.instances());
            if (FAILURE_STATUSES.contains(response.statusCode().value()) && !shedsLoad(response)) {
                breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS,
                        new IOException(routeId + " answered " + response.statusCode().value()));
            } else {
                breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
            return response;
        } catch (Exception failure) {
            if (causedBy(failure, RequestBodyTooLargeException.class)) {
                breaker.releasePermission(); // the caller's fault, not the service's
                request.servletRequest().setAttribute(AccessAttributes.REFUSED, Boolean.TRUE);
                return problem(request, HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than the limit.", null);
            }
            breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, failure);
            if (isUnreachable(failure)) {
                return problem(request, HttpStatus.SERVICE_UNAVAILABLE,
                        "The " + routeId + " service is unavailable; retry later.", resolved.routing().retryBackoff());
            }
            if (causedBy(failure, HttpTimeoutException.class) || causedBy(failure, SocketTimeoutException.class)) {
                return problem(request, HttpStatus.GATEWAY_TIMEOUT, "The " + routeId + " service did not answer in time.", null);
            }
            if (causedBy(failure, IOException.class)) {
                return problem(request, HttpStatus.BAD_GATEWAY, "The exchange with the " + routeId + " service failed.", null);
            }
            throw failure;
        }
    }

    /**
     * A 503 with {@code Retry-After} is a service that is up and refuses work it cannot take now (order-service's
     * back-pressure): opening the breaker would refuse its reads too.
     */
    private static boolean shedsLoad(ServerResponse response) {
        return response.statusCode().value() == 503 && response.headers().containsHeader(HttpHeaders.RETRY_AFTER);
    }

    private static ServerResponse callWithRetries(ServerRequest request, HandlerFunction<ServerResponse> next,
                                                  RoutingProperties routing, UpstreamInstances instances) throws Exception {
        boolean read = READS.contains(request.method()) && !hasBody(request);
        boolean idempotent = read || request.headers().firstHeader(ReplayableBody.IDEMPOTENCY_KEY) != null;
        URI target = MvcUtils.getAttribute(request, MvcUtils.GATEWAY_REQUEST_URL_ATTR);
        List<URI> instanceAttempts = target == null ? List.of() : instances.attempts(target);
        // Every instance once, at least; the same one again only after a pause.
        int retries = Math.max(routing.readRetries(), instanceAttempts.size() - 1);
        for (int attempt = 0; ; attempt++) {
            if (!instanceAttempts.isEmpty()) {
                MvcUtils.setRequestUrl(request, instanceAttempts.get(attempt % instanceAttempts.size()));
            }
            boolean mayRetry = attempt < retries;
            ServerResponse response;
            try {
                response = next.handle(request);
            } catch (Exception failure) {
                if (mayRetry && (isUnreachable(failure) || idempotent && brokeWithoutAnswer(failure))) {
                    pauseBeforeTheSameInstance(attempt, instanceAttempts.size(), routing.retryBackoff());
                    continue;
                }
                throw failure;
            }
            // A write with an Idempotency-Key that an instance refused is offered to each other instance once (on the
            // local HA platform an instance restarted while the issuer was down refuses every token for a while).
            boolean anotherInstance = attempt + 1 < instanceAttempts.size();
            if (mayRetry && RETRYABLE_STATUSES.contains(response.statusCode().value())
                    && (read || idempotent && anotherInstance)) {
                discardUpstreamResponse(request);
                pauseBeforeTheSameInstance(attempt, instanceAttempts.size(), routing.retryBackoff());
                continue;
            }
            return response;
        }
    }

    private static void pauseBeforeTheSameInstance(int attempt, int instances, Duration backoff) throws InterruptedException {
        if (instances <= 1 || (attempt + 1) % instances == 0) {
            Thread.sleep(backoff);
        }
    }

    /** The connection broke before an answer came: the instance died or closed it, no timeout passed. */
    static boolean brokeWithoutAnswer(Throwable failure) {
        return causedBy(failure, IOException.class) && !causedBy(failure, HttpTimeoutException.class)
                && !causedBy(failure, SocketTimeoutException.class) && !causedBy(failure, RequestBodyTooLargeException.class);
    }

    private static boolean hasBody(ServerRequest request) {
        HttpHeaders headers = request.headers().asHttpHeaders();
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    private static void discardUpstreamResponse(ServerRequest request) {
        ClientHttpResponse upstream = MvcUtils.getAttribute(request, MvcUtils.CLIENT_RESPONSE_ATTR);
        if (upstream != null) {
            upstream.close();
            MvcUtils.putAttribute(request, MvcUtils.CLIENT_RESPONSE_ATTR, null);
        }
    }

    static boolean isUnreachable(Throwable failure) {
        return causedBy(failure, ConnectException.class) || causedBy(failure, ConnectTimeoutException.class)
                || causedBy(failure, HttpConnectTimeoutException.class)
                || causedBy(failure, NoRouteToHostException.class) || causedBy(failure, UnknownHostException.class)
                || causedBy(failure, UnresolvedAddressException.class);
    }

    static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static ServerResponse problem(ServerRequest request, HttpStatus status, String detail, Duration retryAfter) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(URI.create(request.requestPath().value()));
        ServerResponse.BodyBuilder response = ServerResponse.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        }
        return response.body(problem);
    }

    private Dependencies dependencies(ServerRequest request) {
        Dependencies resolved = dependencies;
        if (resolved == null) {
            ApplicationContext context = MvcUtils.getApplicationContext(request);
            resolved = new Dependencies(context.getBean(CircuitBreakerRegistry.class).circuitBreaker(routeId),
                    context.getBean(RoutingProperties.class), context.getBean(UpstreamInstances.class));
            dependencies = resolved;
        }
        return resolved;
    }
}
