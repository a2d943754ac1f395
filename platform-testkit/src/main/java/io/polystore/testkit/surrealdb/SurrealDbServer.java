package io.polystore.testkit.surrealdb;

import io.polystore.testkit.tls.LocalCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local SurrealDB 3 server for tests and the local platform: the Node program in {@code surrealdb-engine/}
 * (SurrealDB's HTTP RPC on the engine of {@code @surrealdb/node}), run as a child process on 127.0.0.1.
 * It stops on {@link #close()}, when the JVM exits, and on its own when the JVM dies.
 */
public final class SurrealDbServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SurrealDbServer.class);
    private static final Logger engineLog = LoggerFactory.getLogger("io.polystore.testkit.surrealdb.engine");
    private static final Pattern LISTENING = Pattern.compile("polystore-surrealdb listening on https?://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final int ERROR_LINES_KEPT = 50;

    private final Process process;
    private final Options options;
    private final int port;
    private final Thread shutdownHook = new Thread(this::close, "stop-surrealdb");
    private final AtomicBoolean closed = new AtomicBoolean();

    private SurrealDbServer(Process process, Options options, int port) {
        this.process = process;
        this.options = options;
        this.port = port;
    }

    /**
     * How to run the server.
     *
     * @param engineDirectory the {@code surrealdb-engine} directory holding {@code server.mjs}
     * @param dataPath        the directory that keeps the data (RocksDB), or {@code null} for a scratch directory that
     *                        the engine removes when it stops
     * @param port            the port on 127.0.0.1, or 0 for a free one
     * @param username        the root user, created when the data has no root user yet
     * @param password        that user's password
     * @param tls               the certificates to serve HTTPS with, or {@code null} for plain HTTP
     */
    public record Options(Path engineDirectory, Path dataPath, int port, String username, String password,
                          LocalCertificates tls) {

        public Options {
            Objects.requireNonNull(engineDirectory, "engineDirectory");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 (a free one) to 65535, not " + port);
            }
            engineDirectory = engineDirectory.toAbsolutePath().normalize();
            dataPath = dataPath == null ? null : dataPath.toAbsolutePath().normalize();
        }

        /**
         * Data for as long as the server runs (RocksDB in a scratch directory; the engine's memory store loses
         * concurrent updates), on a free port, root user {@code root}/{@code root}.
         */
        public static Options temporary() {
            return new Options(EngineProgram.locate(), null, 0, "root", "root", null);
        }

        /** Like {@link #temporary()}, but the data lives in {@code dataPath} and survives restarts. */
        public static Options onDisk(Path dataPath) {
            return temporary().withDataPath(Objects.requireNonNull(dataPath, "dataPath"));
        }

        public Options withDataPath(Path dataPath) {
            return new Options(engineDirectory, dataPath, port, username, password, tls);
        }

        public Options withPort(int port) {
            return new Options(engineDirectory, dataPath, port, username, password, tls);
        }

        public Options withCredentials(String username, String password) {
            return new Options(engineDirectory, dataPath, port, username, password, tls);
        }

        /** HTTPS with the host certificate, instead of plain HTTP. */
        public Options withTls(LocalCertificates tls) {
            return new Options(engineDirectory, dataPath, port, username, password, tls);
        }

        private String describe() {
            return "with data in " + (dataPath == null ? "a scratch directory" : dataPath) + ", program in " + engineDirectory;
        }
    }

    /**
     * Starts the server and returns once it accepts requests. Installs the program's npm packages first if they are
     * missing.
     *
     * @throws IllegalStateException when Node 20+ is missing or the program fails to start, for example because
     *                               another process holds the data path; the message carries the program's error
     */
    public static SurrealDbServer start(Options options) {
        EngineProgram.requireNode();
        EngineProgram.installIfMissing(options.engineDirectory());
        long started = System.nanoTime();
        Process process = launch(options);

        CompletableFuture<Integer> listeningPort = new CompletableFuture<>();
        Deque<String> errorLines = new ArrayDeque<>();
        pump(process.getInputStream(), "surrealdb-stdout", line -> {
            engineLog.info(line);
            Matcher listening = LISTENING.matcher(line);
            if (listening.matches()) {
                listeningPort.complete(Integer.parseInt(listening.group(1)));
            }
        }, () -> listeningPort.completeExceptionally(new IllegalStateException("stdout closed")));
        Thread stderr = pump(process.getErrorStream(), "surrealdb-stderr", line -> {
            engineLog.warn(line);
            synchronized (errorLines) {
                if (errorLines.size() == ERROR_LINES_KEPT) {
                    errorLines.removeFirst();
                }
                errorLines.addLast(line);
            }
        }, () -> { });

        try {
            int port = listeningPort.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            SurrealDbServer server = new SurrealDbServer(process, options, port);
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            log.info("SurrealDB listening on {} ({}), started in {} ms",
                    server.url(), options.describe(), (System.nanoTime() - started) / 1_000_000);
            return server;
        } catch (ExecutionException e) {
            // The program ended before listening: its last stderr lines say why.
            awaitQuietly(process, stderr);
            String ending = process.isAlive() ? "closed its output" : "exited with status " + process.exitValue();
            stop(process);
            String why;
            synchronized (errorLines) {
                why = errorLines.isEmpty() ? "" : ":\n" + String.join("\n", errorLines);
            }
            throw new IllegalStateException("The local SurrealDB server (" + options.describe() + ") " + ending
                    + " before it was ready" + why);
        } catch (TimeoutException e) {
            stop(process);
            throw new IllegalStateException("The local SurrealDB server (" + options.describe() + ") did not report listening within "
                    + START_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the local SurrealDB server", e);
        }
    }

    private static Process launch(Options options) {
        List<String> command = new ArrayList<>(List.of("node", "server.mjs",
                "--bind", "127.0.0.1:" + options.port(),
                "--user", options.username(),
                "--pass", options.password(),
                // The program stops when its stdin closes, which happens when this JVM dies, however hard.
                "--exit-on-stdin-close"));
        if (options.dataPath() != null) {
            command.addAll(List.of("--path", options.dataPath().toString()));
        }
        if (options.tls() != null) {
            command.addAll(List.of("--tls-cert", options.tls().certificate().toString(),
                    "--tls-key", options.tls().privateKey().toString()));
        }
        try {
            return new ProcessBuilder(command).directory(options.engineDirectory().toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start node server.mjs in " + options.engineDirectory(), e);
        }
    }

    /** Hands each line of the stream to {@code onLine} on a daemon thread, then runs {@code onEnd}. */
    private static Thread pump(InputStream stream, String threadName, Consumer<String> onLine, Runnable onEnd) {
        return Thread.ofPlatform().daemon().name(threadName).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    onLine.accept(line);
                }
            } catch (IOException e) {
                log.debug("Reading the SurrealDB server's {} stopped", threadName, e);
            } finally {
                onEnd.run();
            }
        });
    }

    private static void awaitQuietly(Process process, Thread stderr) {
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            stderr.join(STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the program to stop (SIGTERM), and kills it and its child if it has not within five seconds. */
    private static void stop(Process process) {
        // Collected first: once the program is gone, its child is no longer its descendant.
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            log.warn("The local SurrealDB server did not stop within {} s; killing it", STOP_TIMEOUT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** For example {@code http://127.0.0.1:41234}, or {@code https://...} with TLS; RPC is at {@code /rpc}. */
    public String url() {
        return (options.tls() == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String username() {
        return options.username();
    }

    public String password() {
        return options.password();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL to the program and its engine, as in a crash; the data on disk stays. */
    public void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        descendants.forEach(child -> child.onExit().join());
        process.onExit().join();
    }

    /** Stops the server; the data path, if any, is free again once this returns. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: this is the hook running.
        }
        stop(process);
        log.info("SurrealDB on {} stopped", url());
    }
}
