package io.polystore.deployment.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs the image's commands (entry point, health checks) on this machine, where there is no image. */
public final class ImageRuntime {

    private static final String IMAGE_JAVA = "/usr/bin/java";
    private static final String IMAGE_PROBE = "/opt/healthcheck";

    private ImageRuntime() {
    }

    /** Compiles {@code docker/HealthProbe.java} as the image's build stage does, into {@code directory}. */
    public static Path compileHealthProbe(Path repository, Path directory) throws java.io.IOException {
        Files.createDirectories(directory);
        HostCommand.runOk(repository, Map.of(), Duration.ofMinutes(1), List.of(jdkTool("javac"), "--release", "21",
                "-d", directory.toString(), repository.resolve("docker/HealthProbe.java").toString()));
        return directory;
    }

    /** The command as written, with this JDK's java for the image's and the probe compiled here for the image's. */
    public static List<String> onThisMachine(List<String> command, Path probe) {
        return command.stream().map(part -> part.equals(IMAGE_JAVA) ? jdkTool("java")
                : part.equals(IMAGE_PROBE) ? probe.toString() : part).toList();
    }

    /** A tool of the JDK running the tests, e.g. {@code java}. */
    public static String jdkTool(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }
}
