package io.polystore.deployment.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program of this machine (docker-compose, promtool, psql, ...) and captures what it says. */
public final class HostCommand {

    private HostCommand() {
    }

    /** Its exit code and its standard output and error, interleaved. */
    public record Result(int exitCode, String output) {
    }

    /**
     * Fails with the package to install when the program is not on the {@code PATH}; CI's {@code .ci/run} installs
     * every one of them.
     */
    public static void requireInstalled(String program, String debianPackage) {
        boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
        if (!found) {
            throw new IllegalStateException(program + " is not installed; these tests need it: apt-get install -y "
                    + debianPackage + " (.ci/run installs it)");
        }
    }

    /**
     * Runs the command in {@code directory} with exactly {@code environment} plus {@code PATH} and {@code HOME}, and
     * waits for it.
     *
     * @throws IllegalStateException when it does not end within the timeout (it is killed)
     */
    public static Result run(Path directory, Map<String, String> environment, Duration timeout, List<String> command) {
        try {
            Path output = Files.createTempFile("host-command", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().keySet().retainAll(List.of("PATH", "HOME"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeout.toSeconds() + " s");
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Like {@link #run}, but fails with the program's output unless it exits with 0. */
    public static String runOk(Path directory, Map<String, String> environment, Duration timeout, List<String> command) {
        Result result = run(directory, environment, timeout, command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }
}
