package io.polystore.testkit.platform;

import io.polystore.testkit.Processes;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One service's Boot jar as its own JVM, its output in a log file. Knows when the service is ready (its readiness
 * probe answers UP) and stops it as Kubernetes would (SIGTERM, graceful) or as a crash would (SIGKILL).
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(250);
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Spec spec;
    private final HttpClient probe;
    private volatile Process process;

    /**
     * How to run a service.
     *
     * @param name       the service's name, for messages
     * @param jar        its executable jar
     * @param port       the HTTP port it listens on ({@code --server.port} is added)
     * @param jvmOptions options before {@code -jar}
     * @param arguments  application arguments (Spring properties as {@code --name=value})
     * @param environment variables for the service; for secrets, which arguments would show in {@code ps}
     * @param inheritEnvironment whether {@code environment} is added to this JVM's environment, or is the service's
     *                   whole environment (as a container or a pod gets it)
     * @param log        where its output goes; appended to across restarts
     * @param tls        for a service serving HTTPS, whom its readiness probe trusts; {@code null} for plain HTTP
     */
    public record Spec(String name, Path jar, int port, List<String> jvmOptions, List<String> arguments,
                       Map<String, String> environment, boolean inheritEnvironment, Path log, SSLContext tls) {

        public Spec {
            jvmOptions = List.copyOf(jvmOptions);
            arguments = List.copyOf(arguments);
            environment = Map.copyOf(environment);
        }

        /** A service whose environment is this JVM's plus {@code environment}. */
        public Spec(String name, Path jar, int port, List<String> jvmOptions, List<String> arguments,
                    Map<String, String> environment, Path log) {
            this(name, jar, port, jvmOptions, arguments, environment, true, log, null);
        }

        /** A plain-HTTP service. */
        public Spec(String name, Path jar, int port, List<String> jvmOptions, List<String> arguments,
                    Map<String, String> environment, boolean inheritEnvironment, Path log) {
            this(name, jar, port, jvmOptions, arguments, environment, inheritEnvironment, log, null);
        }
    }

    public ServiceProcess(Spec spec) {
        this.spec = spec;
        this.probe = spec.tls() == null ? http
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).sslContext(spec.tls()).build();
    }

    /** Starts the JVM and returns at once; {@link #awaitReady} waits for the service. */
    public ServiceProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(spec.name() + " is already running (pid " + process.pid() + ")");
        }
        if (!Files.isRegularFile(spec.jar())) {
            throw new IllegalStateException("The jar of " + spec.name() + " is missing: " + spec.jar()
                    + "; build it first (./mvnw -DskipTests package)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(spec.jvmOptions());
        command.addAll(List.of("-jar", spec.jar().toString(), "--server.port=" + spec.port()));
        command.addAll(spec.arguments());
        try {
            Files.createDirectories(spec.log().toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.log().toFile()));
            if (!spec.inheritEnvironment()) {
                builder.environment().clear();
            }
            builder.environment().putAll(spec.environment());
            process = builder.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + spec.name(), e);
        }
    }

    /**
     * Waits until {@code /actuator/health/readiness} answers 200.
     *
     * @throws IllegalStateException when the JVM exits first or the timeout passes; the message quotes why the
     *                               application failed to start, or else the end of its log
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI readiness = URI.create((spec.tls() == null ? "http" : "https") + "://127.0.0.1:" + spec.port()
                + "/actuator/health/readiness");
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(spec.name() + " exited with status " + process.exitValue()
                        + " before it was ready; see " + spec.log() + "\n" + whyItFailed());
            }
            if (answersUp(readiness)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(spec.name() + " was not ready on port " + spec.port() + " within "
                        + timeout.toSeconds() + " s; see " + spec.log() + "\n" + whyItFailed());
            }
            pause(PROBE_INTERVAL);
        }
    }

    /** SIGTERM, then waits for the graceful shutdown; SIGKILL if it takes too long. */
    public void stop() {
        Processes.stop(process, STOP_TIMEOUT);
    }

    /** SIGKILL: the service dies at once, as in a crash, mid-request and mid-transaction. */
    public void kill() {
        Process running = process;
        if (running == null) {
            return;
        }
        try {
            running.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return spec.name();
    }

    public int port() {
        return spec.port();
    }

    public Path log() {
        return spec.log();
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Waits for all of them at once, telling {@code progress} each one's time to ready.
     *
     * @throws IllegalStateException from the first that is not ready in time; the others are left running
     */
    static void awaitAllReady(Collection<ServiceProcess> services, Duration timeout, Consumer<String> progress) {
        long begin = System.nanoTime();
        try {
            inParallel(services, "await ", service -> {
                service.awaitReady(timeout);
                progress.accept(String.format("%-32s up in %5.1f s",
                        service.name() + " on port " + service.port(), (System.nanoTime() - begin) / 1e9));
            });
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** SIGKILL to all of them at once. */
    static void killAll(Collection<ServiceProcess> services) {
        inParallel(services, "kill ", ServiceProcess::kill);
    }

    /** Stops all of them at once, each draining gracefully. */
    static void stopAll(Collection<ServiceProcess> services) {
        inParallel(services, "stop ", ServiceProcess::stop);
    }

    private static void inParallel(Collection<ServiceProcess> services, String threadPrefix, Consumer<ServiceProcess> action) {
        CompletableFuture.allOf(services.stream().map(service -> CompletableFuture.runAsync(() -> action.accept(service),
                        runnable -> Thread.ofPlatform().name(threadPrefix + service.name()).start(runnable)))
                .toArray(CompletableFuture[]::new)).join();
    }

    private boolean answersUp(URI readiness) {
        try {
            HttpRequest request = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build();
            return probe.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the service", e);
        }
    }

    /** Spring Boot's failure analysis if the log has one, else the log's last lines. */
    private String whyItFailed() {
        List<String> lines;
        try {
            lines = Files.readAllLines(spec.log(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + spec.log() + ": " + e.getMessage() + ")";
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains("APPLICATION FAILED TO START")) {
                return String.join("\n", lines.subList(i, Math.min(lines.size(), i + 15)));
            }
        }
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the service", e);
        }
    }
}
