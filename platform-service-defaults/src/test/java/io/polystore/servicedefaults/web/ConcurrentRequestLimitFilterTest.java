package io.polystore.servicedefaults.web;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.servicedefaults.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** More requests at once than the limit: the rest are refused at once with 503 and Retry-After, probes never. */
class ConcurrentRequestLimitFilterTest {

    private static final int LIMIT = 3;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ConcurrentRequestLimitFilter filter = new ConcurrentRequestLimitFilter(LIMIT,
            new ProblemResponses(JsonMapper.builder().build()), meters);
    private final AtomicInteger handled = new AtomicInteger();
    private final FilterChain handles = (request, response) -> handled.incrementAndGet();

    @Test
    void aRequestBeyondTheLimitIsRefusedAtOnceUntilOneInProgressEnds() throws Exception {
        CountDownLatch inProgress = new CountDownLatch(LIMIT);
        CountDownLatch finish = new CountDownLatch(1);
        FilterChain slow = (request, response) -> {
            inProgress.countDown();
            awaitQuietly(finish);
        };
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < LIMIT; i++) {
                clients.submit(() -> {
                    filter.doFilter(new MockHttpServletRequest("POST", "/orders"), new MockHttpServletResponse(), slow);
                    return null;
                });
            }
            inProgress.await();

            MockHttpServletResponse refused = send("POST", "/orders");
            assertThat(refused.getStatus()).isEqualTo(503);
            assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
            assertThat(refused.getContentAsString()).contains("3 requests at once");
            assertThat(handled).hasValue(0);
            assertThat(meters.counter("polystore.web.requests.refused").count()).isEqualTo(1);

            assertThat(send("GET", "/actuator/health").getStatus()).isEqualTo(200);
            assertThat(handled).hasValue(1);
            finish.countDown();
        }
        assertThat(send("POST", "/orders").getStatus()).isEqualTo(200);
        assertThat(handled).hasValue(2);
    }

    private MockHttpServletResponse send(String method, String path) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest(method, path), response, handles);
        return response;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
