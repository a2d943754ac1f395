package io.polystore.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The third-party checks of the API documents, from the npm package in {@code e2e-tests/contract-tools} (pinned in its
 * {@code package-lock.json}, installed with {@code npm ci} by {@code .ci/run}, or here on first use): Stoplight
 * Prism's validating proxy and Redocly's linter.
 */
final class ContractTools {

    private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration LINT_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration PRISM_START_TIMEOUT = Duration.ofMinutes(2);

    private final Path directory;

    private ContractTools(Path directory) {
        this.directory = directory;
    }

    static synchronized ContractTools installed(Path repository) {
        ContractTools tools = new ContractTools(repository.resolve("e2e-tests/contract-tools").toAbsolutePath().normalize());
        if (!Files.isRegularFile(tools.bin("prism")) || !Files.isRegularFile(tools.bin("redocly"))) {
            Result install = tools.run(List.of("npm", "ci", "--no-audit", "--no-fund"), NPM_CI_TIMEOUT);
            if (install.status() != 0) {
                throw new IllegalStateException("npm ci in " + tools.directory + " failed:\n" + install.output()
                        + install.errors());
            }
        }
        return tools;
    }

    Path directory() {
        return directory;
    }

    /**
     * Starts Prism's validating proxy and returns once it listens: every response of {@code upstream} is checked
     * against {@code document}, and one that violates it is answered 500 with the violations instead
     * ({@code --errors}). Requests are not validated: the suite also sends wrong ones on purpose, and they must reach
     * the gateway.
     */
    Process startPrism(Path document, URI upstream, int port, Path log) {
        List<String> command = List.of(bin("prism").toString(), "proxy", document.toAbsolutePath().toString(), upstream.toString(),
                "--errors", "--validate-request=false", "--host", "127.0.0.1", "--port", Integer.toString(port));
        Process prism;
        try {
            prism = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + String.join(" ", command), e);
        }
        try {
            await("Prism listening on port " + port).atMost(PRISM_START_TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!prism.isAlive()) {
                            throw new IllegalStateException("Prism stopped with status " + prism.exitValue() + ":\n"
                                    + Files.readString(log));
                        }
                        try (Socket socket = new Socket()) {
                            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                            return true;
                        } catch (IOException notYet) {
                            return false;
                        }
                    });
            return prism;
        } catch (RuntimeException e) {
            stop(prism);
            throw e;
        }
    }

    static void stop(Process prism) {
        prism.destroy();
        try {
            if (!prism.waitFor(10, TimeUnit.SECONDS)) {
                prism.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            prism.destroyForcibly();
        }
    }

    /** {@code redocly lint} with the checked-in {@code redocly.yaml} (the recommended rules), as a JSON report. */
    Result lint(List<Path> documents) {
        List<String> command = new ArrayList<>(List.of(bin("redocly").toString(), "lint",
                "--config", directory.resolve("redocly.yaml").toString(), "--format", "json"));
        documents.forEach(document -> command.add(document.toString()));
        return run(command, LINT_TIMEOUT);
    }

    /** The exit status, what the tool wrote to standard output, and to standard error. */
    record Result(int status, String output, String errors) {
    }

    private Path bin(String tool) {
        return directory.resolve("node_modules/.bin").resolve(tool);
    }

    private Result run(List<String> command, Duration timeout) {
        try {
            Path output = Files.createTempFile("polystore-contract-", ".out");
            Path errors = Files.createTempFile("polystore-contract-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                        .redirectOutput(output.toFile()).redirectError(errors.toFile());
                // Redocly's CLI would otherwise send usage data and look for a newer version.
                builder.environment().put("REDOCLY_TELEMETRY", "off");
                builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
                }
                return new Result(process.exitValue(), Files.readString(output), Files.readString(errors));
            } finally {
                Files.deleteIfExists(output);
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        }
    }
}
