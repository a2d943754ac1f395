package io.polystore.gateway;

import io.polystore.gateway.support.EchoUpstreams;
import io.polystore.gateway.support.TestTokens;
import io.polystore.gateway.support.UseEchoUpstreams;
import io.polystore.testkit.spring.UseKafka;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the gateway adds to a call: the same GET made straight to a service and through the gateway (token check,
 * role rule, rate limits, routing with its circuit breaker, security headers, access audit to Kafka), interleaved,
 * one caller at a time for latency (p50, p99), then 16 concurrent callers for throughput. Not part of the build:
 * <pre>
 * ./mvnw -B -pl gateway -am verify -Dit.test=GatewayOverheadBenchmark -Dfailsafe.failIfNoSpecifiedTests=false \
 *     -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * The figures go to standard output and {@code gateway/target/gateway-benchmark.txt}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "polystore.identity.signing-keys[0].id=test-key-active",
        "polystore.identity.signing-keys[0].location=classpath:keys/active.jwk.json",
        "polystore.identity.demo-tokens-directory=target/demo-tokens",
        "polystore.gateway.limits.per-user.requests=100000000",
        "polystore.gateway.limits.per-client.requests=100000000",
        "logging.level.root=WARN", "polystore.gateway.audit.enabled=false"})
@ActiveProfiles("local")
@UseKafka
@UseEchoUpstreams
class GatewayOverheadBenchmark {

    private static final int WARM_UP = 5_000;
    private static final int MEASURED = 10_000;
    private static final int CONCURRENCY = 16;
    private static final Duration THROUGHPUT_RUN = Duration.ofSeconds(10);

    @Value("${local.server.port}")
    int port;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void measuresWhatTheGatewayAdds() throws Exception {
        String token = TestTokens.valid("bench-user", "CUSTOMER");
        HttpRequest direct = request(EchoUpstreams.of("catalog").url() + "/products/42", token);
        HttpRequest routed = request("http://127.0.0.1:" + port + "/api/catalog/products/42", token);

        for (int i = 0; i < WARM_UP; i++) {
            call(direct);
            call(routed);
        }
        long[] directNanos = new long[MEASURED];
        long[] routedNanos = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            directNanos[i] = call(direct);
            routedNanos[i] = call(routed);
        }
        double directThroughput = throughput(direct);
        double routedThroughput = throughput(routed);

        Arrays.sort(directNanos);
        Arrays.sort(routedNanos);
        String report = String.join(System.lineSeparator(),
                "Gateway overhead: GET through the gateway vs straight to the service (%d calls each, %d cores)"
                        .formatted(MEASURED, Runtime.getRuntime().availableProcessors()),
                "                      p50 (ms)   p99 (ms)   throughput (req/s, %d callers)".formatted(CONCURRENCY),
                row("direct", directNanos, directThroughput),
                row("through gateway", routedNanos, routedThroughput),
                "added by the gateway  %8.3f   %8.3f   %.0f%% of direct throughput".formatted(
                        ms(percentile(routedNanos, 50) - percentile(directNanos, 50)),
                        ms(percentile(routedNanos, 99) - percentile(directNanos, 99)),
                        100 * routedThroughput / directThroughput));
        System.out.println(report);
        Files.writeString(Path.of("target/gateway-benchmark.txt"), report + System.lineSeparator());
        assertThat(routedThroughput).isPositive();
    }

    private static String row(String name, long[] sorted, double throughput) {
        return "%-20s  %8.3f   %8.3f   %.0f".formatted(name, ms(percentile(sorted, 50)), ms(percentile(sorted, 99)), throughput);
    }

    private double throughput(HttpRequest request) throws Exception {
        AtomicLong calls = new AtomicLong();
        long end = System.nanoTime() + THROUGHPUT_RUN.toNanos();
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int caller = 0; caller < CONCURRENCY; caller++) {
                running.add(callers.submit(() -> {
                    while (System.nanoTime() < end) {
                        call(request);
                        calls.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (var future : running) {
                future.get();
            }
        }
        return calls.get() / (THROUGHPUT_RUN.toNanos() / 1e9);
    }

    private long call(HttpRequest request) throws Exception {
        long started = System.nanoTime();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long elapsed = System.nanoTime() - started;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
        }
        return elapsed;
    }

    private static HttpRequest request(String uri, String token) {
        return HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token).build();
    }

    private static long percentile(long[] sorted, int percentile) {
        return sorted[(int) Math.ceil(percentile / 100.0 * sorted.length) - 1];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
