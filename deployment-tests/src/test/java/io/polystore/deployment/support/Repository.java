package io.polystore.deployment.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository under test: its root and the project's version. */
public final class Repository {

    private Repository() {
    }

    /** The root: {@code polystore.repository} (set by the build), else the nearest directory upwards with {@code mvnw}. */
    public static Path root() {
        String configured = System.getProperty("polystore.repository");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
            if (Files.isRegularFile(directory.resolve("mvnw"))) {
                return directory;
            }
        }
        throw new IllegalStateException("Cannot find the repository's root (a directory with mvnw) above " + Path.of("").toAbsolutePath());
    }

    /** The Maven project's version, {@code polystore.version} as set by the build. */
    public static String projectVersion() {
        String version = System.getProperty("polystore.version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("System property polystore.version is not set; run the tests through Maven");
        }
        return version;
    }
}
