package io.polystore.e2e;

import io.polystore.testkit.platform.LocalPlatform;
import io.polystore.testkit.platform.LocalPrometheus;
import io.polystore.testkit.platform.PlatformPorts;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starts the platform once per test JVM, as {@code ./polystore} does but on free ports and with its data in
 * {@code target/e2e-platform} (kept after the run: the services' logs are in its {@code logs/}), with an OTLP trace
 * receiver the services export to, a real Prometheus scraping them with the shipped configuration and alert rules
 * (every 2 s), and Prism's validating proxy in front of the gateway ({@link ContractProxy}, its log in {@code logs/}),
 * through which the suite sends its requests. JUnit closes them all after the last test class, whatever failed; the
 * platform's shutdown hook covers a JVM that ends otherwise.
 */
public final class RunningPlatform implements BeforeAllCallback {

    /** How often Prometheus scrapes and evaluates the rules here (./polystore: every 10 s). */
    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(2);

    private static volatile LocalPlatform platform;
    private static volatile OtlpTraceReceiver traces;
    private static volatile LocalPrometheus prometheus;
    private static volatile ContractProxy contract;

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        store.computeIfAbsent(OtlpTraceReceiver.class, key -> traces = OtlpTraceReceiver.start(), OtlpTraceReceiver.class);
        store.computeIfAbsent(LocalPlatform.class, key -> start(), LocalPlatform.class);
        store.computeIfAbsent(ContractProxy.class, key -> startContractProxy(), ContractProxy.class);
        store.computeIfAbsent(LocalPrometheus.class, key -> startPrometheus(), LocalPrometheus.class);
    }

    static OtlpTraceReceiver traces() {
        if (traces == null) {
            throw new IllegalStateException("The trace receiver is not running: extend the test with RunningPlatform");
        }
        return traces;
    }

    static LocalPrometheus prometheus() {
        if (prometheus == null) {
            throw new IllegalStateException("Prometheus is not running: extend the test with RunningPlatform");
        }
        return prometheus;
    }

    static ContractProxy contract() {
        if (contract == null) {
            throw new IllegalStateException("The contract proxy is not running: extend the test with RunningPlatform");
        }
        return contract;
    }

    static LocalPlatform platform() {
        if (platform == null) {
            throw new IllegalStateException("The platform is not running: extend the test with RunningPlatform");
        }
        return platform;
    }

    private static LocalPlatform start() {
        Path repository = repository();
        Path data = Path.of(System.getProperty("polystore.e2e.data", "target/e2e-platform"));
        deleteRecursively(data);
        long begin = System.nanoTime();
        // Spans leave every second, so that the trace test need not wait for the default 5 s batches.
        Map<String, String> tracing = Map.of(
                "management.opentelemetry.tracing.export.otlp.endpoint", traces.endpoint().toString(),
                "management.opentelemetry.tracing.export.schedule-delay", "1s");
        platform = LocalPlatform.start(new LocalPlatform.Options(repository, data, PlatformPorts.free(),
                line -> System.out.println("[platform] " + line), tracing));
        System.out.printf("[platform] ready in %.1f s, %d MiB resident, gateway %s%n", (System.nanoTime() - begin) / 1e9,
                platform.residentMemoryBytes() / (1024 * 1024), platform.gatewayUrl());
        return platform;
    }

    /** The served API documents in {@code target/contract}, and Prism in front of the gateway. */
    private static ContractProxy startContractProxy() {
        ContractTools tools = ContractTools.installed(repository());
        contract = ContractProxy.start(platform.gatewayUrl(), tools, Path.of("target/contract"),
                platform.dataDirectory().resolve("logs/prism.log"));
        System.out.println("[platform] Prism's validating proxy at " + contract.url());
        return contract;
    }

    static Path repository() {
        return Path.of(System.getProperty("polystore.repository", ".."));
    }

    private static LocalPrometheus startPrometheus() {
        prometheus = LocalPrometheus.start(repository(), platform.dataDirectory(), platform.ports(), PlatformPorts.freePort(), SCRAPE_INTERVAL);
        System.out.println("[platform] Prometheus at " + prometheus.url());
        return prometheus;
    }

    /** Wipes a previous run's data directory, if there is one. */
    public static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot wipe the previous run's data in " + directory, e);
        }
    }
}
