package io.polystore.testkit.surrealdb;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Node program in {@code surrealdb-engine/}: where it is, the Node it needs, and its npm packages. */
final class EngineProgram {

    static final String DIRECTORY_PROPERTY = "polystore.surrealdb-engine.dir";

    private static final Logger log = LoggerFactory.getLogger(EngineProgram.class);
    private static final int MINIMUM_NODE_MAJOR_VERSION = 20;
    private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\..*");
    private static final Duration NODE_VERSION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(10);
    private static final boolean WINDOWS = System.getProperty("os.name").startsWith("Windows");

    private static volatile boolean nodeChecked;

    private EngineProgram() {
    }

    /**
     * The directory named by the system property {@value #DIRECTORY_PROPERTY} (Maven's test plugins set it), else
     * the first {@code surrealdb-engine} found from the working directory upwards.
     */
    static Path locate() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path directory = Path.of(configured).toAbsolutePath().normalize();
            if (!hasServer(directory)) {
                throw new IllegalStateException("The system property " + DIRECTORY_PROPERTY + " names " + directory
                        + ", which has no server.mjs");
            }
            return directory;
        }
        Path workingDirectory = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path directory = workingDirectory; directory != null; directory = directory.getParent()) {
            Path candidate = directory.resolve("surrealdb-engine");
            if (hasServer(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Cannot find surrealdb-engine/server.mjs in " + workingDirectory
                + " or above it; set the system property " + DIRECTORY_PROPERTY + " to that directory");
    }

    private static boolean hasServer(Path directory) {
        return Files.isRegularFile(directory.resolve("server.mjs"));
    }

    /** Fails unless {@code node} on the PATH is Node 20 or newer. */
    static void requireNode() {
        if (nodeChecked) {
            return;
        }
        String version;
        try {
            version = run(Path.of("."), NODE_VERSION_TIMEOUT, List.of("node", "--version")).strip();
        } catch (RuntimeException e) {
            throw new IllegalStateException("The local SurrealDB server needs Node.js " + MINIMUM_NODE_MAJOR_VERSION
                    + " or newer as `node` on the PATH: " + e.getMessage(), e);
        }
        Matcher matcher = NODE_VERSION.matcher(version);
        if (!matcher.matches() || Integer.parseInt(matcher.group(1)) < MINIMUM_NODE_MAJOR_VERSION) {
            throw new IllegalStateException("The local SurrealDB server needs Node.js " + MINIMUM_NODE_MAJOR_VERSION
                    + " or newer, but `node` on the PATH is " + version);
        }
        nodeChecked = true;
    }

    /** Runs {@code npm ci} in the directory unless its packages are installed, once across threads and JVMs. */
    static synchronized void installIfMissing(Path directory) {
        if (isInstalled(directory)) {
            return;
        }
        // Beside the directory, not in it: npm ci replaces node_modules, and the repository should stay clean.
        Path lockFile = Path.of(System.getProperty("java.io.tmpdir"),
                "polystore-surrealdb-engine-" + Integer.toHexString(directory.toString().hashCode()) + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (isInstalled(directory)) {
                return;
            }
            log.info("Installing the SurrealDB engine's npm packages in {} (npm ci)", directory);
            long started = System.nanoTime();
            String output = run(directory, NPM_CI_TIMEOUT, List.of(WINDOWS ? "npm.cmd" : "npm", "ci", "--no-audit", "--no-fund"));
            log.info("npm ci finished in {} s:\n{}", (System.nanoTime() - started) / 1_000_000_000, output.strip());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock " + lockFile + " to install the SurrealDB engine", e);
        }
    }

    /** npm writes node_modules/.package-lock.json when an install has finished. */
    private static boolean isInstalled(Path directory) {
        Path modules = directory.resolve("node_modules");
        return Files.isRegularFile(modules.resolve(".package-lock.json"))
                && Files.isRegularFile(modules.resolve("@surrealdb/node/package.json"));
    }

    /** Runs a command to completion and returns its output (stdout and stderr); fails on a non-zero status. */
    private static String run(Path directory, Duration timeout, List<String> command) {
        Path output = null;
        try {
            output = Files.createTempFile("polystore-surrealdb-", ".log");
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
            }
            String text = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " in " + directory.toAbsolutePath()
                        + " failed with status " + process.exitValue() + ":\n" + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("Cannot delete {}", file, e);
        }
    }
}
