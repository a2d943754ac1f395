package io.polystore.testkit.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;
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

    @Test
    void aServiceNotInheritingTheEnvironmentSeesOnlyItsOwn() throws Exception {
        Path jar = environmentPrintingJar();
        ServiceProcess service = new ServiceProcess(new ServiceProcess.Spec("demo-service", jar, PlatformPorts.free().gateway(),
                List.of(), List.of(), Map.of("DEMO_SETTING", "given"), false, directory.resolve("demo-service.log"))).start();

        assertThatThrownBy(() -> service.awaitReady(Duration.ofSeconds(30))).hasMessageContaining("exited with status 3");
        assertThat(Files.readAllLines(directory.resolve("demo-service.log"))).containsExactly("DEMO_SETTING=given");
    }

    /** A jar whose main prints its environment and exits with 3. */
    private Path environmentPrintingJar() throws Exception {
        Path source = Files.writeString(directory.resolve("PrintEnvironment.java"), """
                public class PrintEnvironment {
                    public static void main(String[] args) {
                        System.getenv().forEach((name, value) -> System.out.println(name + "=" + value));
                        System.exit(3);
                    }
                }
                """);
        Path classes = Files.createDirectories(directory.resolve("classes"));
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
        assertThat(compiled).isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "PrintEnvironment");
        Path jar = directory.resolve("print-environment.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("PrintEnvironment.class"));
            out.write(Files.readAllBytes(classes.resolve("PrintEnvironment.class")));
            out.closeEntry();
        }
        return jar;
    }

    private ServiceProcess.Spec spec(Path jar) {
        return new ServiceProcess.Spec("demo-service", jar, PlatformPorts.free().gateway(), List.of(), List.of(), Map.of(),
                directory.resolve("demo-service.log"));
    }
}
