package io.polystore.e2e.load;

import io.polystore.e2e.RunningPlatform;
import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.LocalPlatform;
import io.polystore.testkit.platform.PlatformPorts;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the gateway costs in front of a real service: catalog-service's {@code GET /products/{id}} (JWT, a SurrealDB
 * read, JSON) called straight and through the gateway (token check, role rule, rate limits, route with its breaker,
 * headers, access audit to Kafka), on the local platform's processes (free ports, data in
 * {@code target/gateway-platform}). The same tokens both ways, many customers so that no per-user limit is met; the
 * per-client limit is raised for the run. Interleaved one caller at a time for latency, then {@value #CALLERS}
 * concurrent callers for throughput, each way. Not part of {@code verify}; see the README for the command and figures.
 */
class GatewayOnPlatformBenchmark {

    private static final int WARM_UP = Integer.getInteger("gateway-benchmark.warm-up", 2_000);
    private static final int MEASURED = Integer.getInteger("gateway-benchmark.calls", 3_000);
    private static final int CALLERS = 16;
    private static final Duration THROUGHPUT_RUN = Duration.ofSeconds(Long.getLong("gateway-benchmark.seconds", 15));
    private static final int CUSTOMERS = 50;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void gatewayAgainstTheServiceItRoutesTo() throws Exception {
        Path repository = Path.of(System.getProperty("polystore.repository", ".."));
        Path data = Path.of("target/gateway-platform").toAbsolutePath();
        RunningPlatform.deleteRecursively(data);
        Map<String, String> unlimited = Map.of("polystore.gateway.limits.per-client.requests", "100000000");
        try (LocalPlatform platform = LocalPlatform.start(new LocalPlatform.Options(repository, data, PlatformPorts.free(),
                line -> System.out.println("[platform] " + line), unlimited))) {
            GatewayClient gateway = new GatewayClient(platform.gatewayUrl());
            Map<String, Object> product = new LinkedHashMap<>();
            product.put("sku", "GATEWAY-" + UUID.randomUUID());
            product.put("name", "Gateway benchmark product");
            product.put("price", Map.of("amount", "9.90", "currency", "EUR"));
            product.put("initialStock", 10);
            GatewayClient.Response created = gateway.post("/api/catalog/products", platform.demoToken("CATALOG_MANAGER"), product);
            assertThat(created.status()).as("create product: %s", created.body()).isEqualTo(201);
            String path = "/products/" + created.json().path("id").asString();
            List<String> tokens = LoadCustomers.tokens(platform.dataDirectory().resolve("gateway-signing-key.json"),
                    platform.gatewayUrl(), CUSTOMERS, Duration.ofHours(1));
            URI direct = URI.create("http://127.0.0.1:" + platform.ports().catalog() + path);
            URI routed = URI.create(platform.gatewayUrl() + "/api/catalog" + path);

            ProcessCpu cpu = ProcessCpu.of(platform).addThisProcess("client");
            String loadBefore = PlatformProcesses.loadAverage();
            for (int i = 0; i < WARM_UP; i++) {
                call(direct, tokens.get(i % CUSTOMERS));
                call(routed, tokens.get(i % CUSTOMERS));
            }
            long[] directNanos = new long[MEASURED];
            long[] routedNanos = new long[MEASURED];
            for (int i = 0; i < MEASURED; i++) {
                directNanos[i] = call(direct, tokens.get(i % CUSTOMERS));
                routedNanos[i] = call(routed, tokens.get(i % CUSTOMERS));
            }
            Throughput straight = throughput(direct, tokens, cpu);
            Throughput throughGateway = throughput(routed, tokens, cpu);
            Arrays.sort(directNanos);
            Arrays.sort(routedNanos);
            List<String> report = List.of(
                    "[gateway] GET %s on the local platform, %d calls each way interleaved, then %d callers for %d s each; load average %s -> %s"
                            .formatted(path, MEASURED, CALLERS, THROUGHPUT_RUN.toSeconds(), loadBefore, PlatformProcesses.loadAverage()),
                    "| | p50 | p99 | throughput (%d callers) |".formatted(CALLERS),
                    "| --- | --- | --- | --- |",
                    row("straight to catalog-service", directNanos, straight.perSecond()),
                    row("through the gateway", routedNanos, throughGateway.perSecond()),
                    String.format(Locale.ROOT, "| added by the gateway | %.2f ms | %.2f ms | %.2f of direct |",
                            (percentile(routedNanos, 50) - percentile(directNanos, 50)) / 1e6,
                            (percentile(routedNanos, 99) - percentile(directNanos, 99)) / 1e6,
                            throughGateway.perSecond() / straight.perSecond()),
                    "CPU per call with %d callers, ms, straight: %s".formatted(CALLERS, straight.cpuPerCall()),
                    "CPU per call with %d callers, ms, through the gateway: %s".formatted(CALLERS, throughGateway.cpuPerCall()));
            report.forEach(System.out::println);
            Files.write(Path.of("target/gateway-platform-benchmark.txt"), report);
        }
    }

    /** @param cpuPerCall each process's CPU time per call, in milliseconds, with their sum */
    private record Throughput(double perSecond, String cpuPerCall) {
    }

    private Throughput throughput(URI uri, List<String> tokens, ProcessCpu cpu) throws Exception {
        AtomicLong calls = new AtomicLong();
        Map<String, Double> cpuBefore = cpu.sample();
        long end = System.nanoTime() + THROUGHPUT_RUN.toNanos();
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int caller = 0; caller < CALLERS; caller++) {
                String token = tokens.get(caller % tokens.size());
                running.add(callers.submit(() -> {
                    while (System.nanoTime() < end) {
                        call(uri, token);
                        calls.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        }
        Map<String, Double> cpuAfter = cpu.sample();
        Map<String, Double> perCall = new LinkedHashMap<>();
        cpuAfter.forEach((name, seconds) -> perCall.put(name, (seconds - cpuBefore.get(name)) * 1000 / calls.get()));
        String cpuPerCall = perCall.entrySet().stream()
                .map(entry -> String.format(Locale.ROOT, "%s %.2f", entry.getKey(), entry.getValue()))
                .collect(Collectors.joining(", ")) + String.format(Locale.ROOT, "; all %.2f",
                perCall.values().stream().mapToDouble(Double::doubleValue).sum());
        return new Throughput(calls.get() / (THROUGHPUT_RUN.toNanos() / 1e9), cpuPerCall);
    }

    private long call(URI uri, String token) throws Exception {
        long started = System.nanoTime();
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        long elapsed = System.nanoTime() - started;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + new String(response.body()));
        }
        return elapsed;
    }

    private static String row(String name, long[] sorted, double throughput) {
        return String.format(Locale.ROOT, "| %s | %.2f ms | %.2f ms | %.0f req/s |", name, percentile(sorted, 50) / 1e6,
                percentile(sorted, 99) / 1e6, throughput);
    }

    private static long percentile(long[] sorted, int percentile) {
        return sorted[(int) Math.ceil(percentile / 100.0 * sorted.length) - 1];
    }
}
