package io.polystore.e2e;

import io.polystore.testkit.platform.LocalPlatform;
import io.polystore.testkit.platform.PlatformPorts;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Starts the platform once per test JVM, as {@code ./polystore} does but on free ports and with its data in
 * {@code target/e2e-platform} (kept after the run: the services' logs are in its {@code logs/}). JUnit closes it
 * after the last test class, whatever failed; the platform's shutdown hook covers a JVM that ends otherwise.
 */
public final class RunningPlatform implements BeforeAllCallback {

    private static volatile LocalPlatform platform;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(LocalPlatform.class, key -> start(), LocalPlatform.class);
    }

    static LocalPlatform platform() {
        if (platform == null) {
            throw new IllegalStateException("The platform is not running: extend the test with RunningPlatform");
        }
        return platform;
    }

    private static LocalPlatform start() {
        Path repository = Path.of(System.getProperty("polystore.repository", ".."));
        Path data = Path.of(System.getProperty("polystore.e2e.data", "target/e2e-platform"));
        deleteRecursively(data);
        long begin = System.nanoTime();
        platform = LocalPlatform.start(new LocalPlatform.Options(repository, data, PlatformPorts.free(),
                line -> System.out.println("[platform] " + line)));
        System.out.printf("[platform] ready in %.1f s, %d MiB resident, gateway %s%n", (System.nanoTime() - begin) / 1e9,
                platform.residentMemoryBytes() / (1024 * 1024), platform.gatewayUrl());
        return platform;
    }

    private static void deleteRecursively(Path directory) {
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
