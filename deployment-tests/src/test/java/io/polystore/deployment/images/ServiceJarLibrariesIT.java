package io.polystore.deployment.images;

import io.polystore.deployment.support.Repository;
import io.polystore.testkit.platform.PlatformService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No class of a service is defined differently by two of the libraries in its jar. Which copy a JVM loads would
 * depend on the order of the libraries, and the build writes them in name order (reproducible jars): an old copy of
 * the OpenAPI annotations, brought by Kafka Connect, once made sync-service's {@code /v3/api-docs} fail.
 */
class ServiceJarLibrariesIT {

    @ParameterizedTest
    @EnumSource(PlatformService.class)
    void noClassIsDefinedDifferentlyByTwoLibraries(PlatformService service) throws IOException {
        // class file -> library -> checksum of its bytes there
        Map<String, Map<String, Long>> definitions = new TreeMap<>();
        try (JarFile jar = new JarFile(service.jar(Repository.root()).toFile())) {
            for (ZipEntry library : jar.stream().filter(entry -> entry.getName().startsWith("BOOT-INF/lib/")
                    && entry.getName().endsWith(".jar")).toList()) {
                String name = library.getName().substring("BOOT-INF/lib/".length());
                try (ZipInputStream classes = new ZipInputStream(jar.getInputStream(library))) {
                    for (ZipEntry entry; (entry = classes.getNextEntry()) != null; ) {
                        if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")
                                && !entry.getName().endsWith("module-info.class")) {
                            definitions.computeIfAbsent(entry.getName(), ignored -> new TreeMap<>())
                                    .put(name, checksum(classes));
                        }
                    }
                }
            }
        }
        Map<String, TreeSet<String>> conflicts = new TreeMap<>();
        definitions.forEach((classFile, libraries) -> {
            if (libraries.values().stream().distinct().count() > 1) {
                conflicts.computeIfAbsent(String.join(" and ", libraries.keySet()), ignored -> new TreeSet<>()).add(classFile);
            }
        });
        assertThat(conflicts).as("libraries of %s that define the same classes differently", service.name()).isEmpty();
    }

    private static long checksum(InputStream bytes) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[8192];
        for (int read; (read = bytes.read(buffer)) > 0; ) {
            crc.update(buffer, 0, read);
        }
        return crc.getValue();
    }
}
