package io.polystore.testkit.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipFile;

/**
 * Starts a service faster from its second start on. Its jar is extracted once (Spring Boot's
 * {@code -Djarmode=tools extract}, again whenever the jar's content changes), and the extracted jar runs with a class-data
 * sharing archive that the JVM writes when the service stops and maps at its next start
 * ({@code -XX:+AutoCreateSharedArchive}, JDK 19 and later; classes inside a nested jar cannot be archived). Measured on
 * audit-service started alone (issue 15): ready in 4.8 s from its jar, 3.1 s extracted, 2.0 s with the archive, the
 * same resident memory. An archive is written only by an orderly stop (SIGTERM), so a killed service writes none.
 */
public final class ClassDataSharing {

    /** The jar to run and the options that go with it. */
    public record Launch(Path jar, List<String> jvmOptions) {
    }

    private static final String SOURCE_STAMP = "extracted-from";

    private ClassDataSharing() {
    }

    /**
     * @param jar       the service's executable jar
     * @param directory where its extracted copy and archives are kept; replaced when the jar changed
     * @param instance  the instance's name: each instance writes its own archive, as two JVMs stopping at once
     *                  would otherwise write the same file
     */
    public static Launch prepare(Path jar, Path directory, String instance) {
        Path extracted = directory.resolve("app");
        Path stamp = directory.resolve(SOURCE_STAMP);
        try {
            String source = jar.toAbsolutePath() + " " + contentOf(jar);
            if (!Files.isRegularFile(stamp) || !Files.readString(stamp).equals(source)) {
                deleteRecursively(directory);
                Files.createDirectories(directory);
                extract(jar, extracted, directory.resolve("extract.log"));
                Files.writeString(stamp, source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + jar + " in " + directory, e);
        }
        return new Launch(extracted.resolve(jar.getFileName()), List.of("-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + directory.resolve(instance + ".jsa"),
                // Quiet about the few classes it cannot archive (those Spring defines itself).
                "-Xlog:cds*=off"));
    }

    /**
     * The jar's entries by name, size and checksum, read from its central directory: the same for a jar built again
     * from the same classes and libraries (the build writes jars anew each time, reproducibly), so that only a
     * changed jar loses its archive.
     */
    private static String contentOf(Path jar) throws IOException {
        CRC32 entries = new CRC32();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().forEach(entry -> entries.update((entry.getName() + " " + entry.getSize() + " " + entry.getCrc() + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return Files.size(jar) + " " + Long.toHexString(entries.getValue());
    }

    private static void extract(Path jar, Path destination, Path log) throws IOException {
        Process extract = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", destination.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!extract.waitFor(2, TimeUnit.MINUTES) || extract.exitValue() != 0) {
                extract.destroyForcibly();
                throw new IllegalStateException("Extracting " + jar + " failed: " + Files.readString(log).strip());
            }
        } catch (InterruptedException e) {
            extract.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while extracting " + jar, e);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
