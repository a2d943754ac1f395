package io.polystore.servicedefaults.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.servicedefaults.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.concurrent.Semaphore;

/**
 * Answers 503 with {@code Retry-After} at once while {@code polystore.web.max-concurrent-requests} requests are in
 * progress. On virtual threads nothing else bounds them: in a burst every waiting request keeps its buffers and its
 * stack, and the gateway, at 100 orders/s on two cores, ran out of memory with thousands in flight and answered
 * nothing any more. A refusal costs next to nothing, so the instance keeps up with what it admits. Probes and metrics
 * ({@code /actuator/**}) are never refused: an instance is busy, not dead.
 */
public final class ConcurrentRequestLimitFilter extends OncePerRequestFilter {

    static final int RETRY_AFTER_SECONDS = 1;
    private static final String ACTUATOR = "/actuator/";

    private final Semaphore places;
    private final int maxConcurrent;
    private final ProblemResponses problems;
    private final Counter refused;

    public ConcurrentRequestLimitFilter(int maxConcurrent, ProblemResponses problems, MeterRegistry meters) {
        this.places = new Semaphore(maxConcurrent);
        this.maxConcurrent = maxConcurrent;
        this.problems = problems;
        this.refused = meters.counter("polystore.web.requests.refused");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getRequestURI().startsWith(ACTUATOR)) {
            chain.doFilter(request, response);
            return;
        }
        if (!places.tryAcquire()) {
            refused.increment();
            response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
            problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "The service is handling " + maxConcurrent
                    + " requests at once, as many as it takes; send the request again after " + RETRY_AFTER_SECONDS
                    + " s (with the same Idempotency-Key, where the operation takes one).");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            places.release();
        }
    }
}
