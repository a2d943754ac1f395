package io.polystore.testkit.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceProcessTest {

    @TempDir
    Path directory;

    @Test
    void aMissingJarIsNamedWithHowToBuildIt() {
        ServiceProcess service = new ServiceProcess(spec(directory.resolve("absent.jar")));

        assertThatThrownBy(service::start).hasMessageContaining("The jar of demo-service is missing")
                .hasMessageContaining("./mvnw -DskipTests package");
    }

    @Test
    void aServiceThatExitsBeforeItIsReadyFailsWithItsLog() throws Exception {
        Path notAJar = Files.writeString(directory.resolve("broken.jar"), "not a jar");
        ServiceProcess service = new ServiceProcess(spec(notAJar)).start();

        assertThatThrownBy(() -> service.awaitReady(Duration.ofSeconds(30)))
                .hasMessageContaining("demo-service exited with status 1 before it was ready")
                .hasMessageContaining("Invalid or corrupt jarfile");
    }

    private ServiceProcess.Spec spec(Path jar) {
        return new ServiceProcess.Spec("demo-service", jar, PlatformPorts.free().gateway(), List.of(), List.of(), Map.of(),
                directory.resolve("demo-service.log"));
    }
}
