package io.polystore.e2e;

import io.polystore.testkit.platform.ClassDataSharing;
import io.polystore.testkit.platform.PlatformService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the local platform starts a service (issue 15): from its extracted jar, with a class-data sharing archive
 * written when it stops and mapped when it starts again; extracted again only when the jar's content changed. A start that
 * stops at once (no database here) is enough to show it.
 */
class ClassDataSharingIT {

    private static final String APPLICATION_CLASS = "io.polystore.audit.AuditServiceApplication";

    @Test
    void theSecondStartLoadsTheServiceClassesFromTheArchiveTheFirstWrote(@TempDir Path directory) throws Exception {
        Path jar = Files.copy(PlatformService.AUDIT.jar(RunningPlatform.repository()), directory.resolve("audit-service.jar"));
        ClassDataSharing.Launch launch = ClassDataSharing.prepare(jar, directory.resolve("jvm"), "audit-service");
        assertThat(launch.jar()).isRegularFile().isNotEqualTo(jar);

        assertThat(classSource(launch)).as("first start").doesNotContain("shared objects file");
        assertThat(directory.resolve("jvm/audit-service.jsa")).isRegularFile();
        assertThat(classSource(launch)).as("second start").contains("shared objects file (top)");

        // The build writes every jar anew: the same content keeps the archive.
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        ClassDataSharing.prepare(jar, directory.resolve("jvm"), "audit-service");
        assertThat(directory.resolve("jvm/audit-service.jsa")).as("the archive of the same jar").isRegularFile();

        try (FileSystem changed = FileSystems.newFileSystem(jar)) {
            Files.writeString(changed.getPath("BOOT-INF/classes/changed.txt"), "a changed jar");
        }
        ClassDataSharing.Launch rebuilt = ClassDataSharing.prepare(jar, directory.resolve("jvm"), "audit-service");
        assertThat(directory.resolve("jvm/audit-service.jsa")).as("the archive of the old jar is gone").doesNotExist();
        assertThat(rebuilt.jar()).isRegularFile();
    }

    /** Starts the service without a reachable database (it stops at once) and says where its main class came from. */
    private static String classSource(ClassDataSharing.Launch launch) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(launch.jvmOptions());
        command.addAll(List.of("-Xlog:class+load=info", "-jar", launch.jar().toString(),
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none"));
        Process service = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(service.getInputStream().readAllBytes());
        assertThat(service.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return output.lines().filter(line -> line.contains(APPLICATION_CLASS + " source:")).findFirst().orElse("");
    }
}
