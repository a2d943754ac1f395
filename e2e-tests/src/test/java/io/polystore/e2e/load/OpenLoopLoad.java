package io.polystore.e2e.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Sends requests at fixed times, {@code rate} per second, whatever the server answers and however slowly: an open
 * loop, so that a slow server meets the same arrivals as a fast one (a closed loop would slow down with it and hide
 * the backlog). Each response's latency counts from the time the request was due, not from when it left.
 */
public final class OpenLoopLoad {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    // HTTP/1.1 as curl and browsers speak to the gateway, with no attempt to upgrade each new connection to h2c.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    /** One request's fate; {@code status} 0 when it failed without a response. */
    public record Sent(int index, long dueNanos, int status, long latencyNanos, String body) {
    }

    /**
     * Sends {@code count} requests, request {@code i} at {@code start + i / rate}, and returns every response once
     * all have come back (or timed out after 30 s).
     */
    public List<Sent> run(double rate, int count, IntFunction<HttpRequest.Builder> request) {
        long periodNanos = (long) (1e9 / rate);
        long start = System.nanoTime() + 50_000_000L;
        List<CompletableFuture<Sent>> responses = new ArrayList<>(count);
        try (ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor()) {
            for (int i = 0; i < count; i++) {
                int index = i;
                long due = start + i * periodNanos;
                CompletableFuture<Sent> sent = new CompletableFuture<>();
                responses.add(sent);
                clock.schedule(() -> send(index, due, request.apply(index), sent),
                        due - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
            return responses.stream().map(CompletableFuture::join).toList();
        }
    }

    private void send(int index, long due, HttpRequest.Builder request, CompletableFuture<Sent> result) {
        http.sendAsync(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    long latency = System.nanoTime() - due;
                    result.complete(failure == null
                            ? new Sent(index, due, response.statusCode(), latency, response.body())
                            : new Sent(index, due, 0, latency, String.valueOf(failure)));
                });
    }

    public static HttpRequest.Builder post(URI uri, String token, String json) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }
}
