package io.polystore.deployment.images;

import io.polystore.deployment.support.Dockerfile;
import io.polystore.deployment.support.Repository;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image of the five services, checked from its Dockerfile since it cannot be built here (no Docker engine):
 * a JRE-only base without a shell, a numeric non-root user, Boot's layers copied least to most often changed, a
 * health check that needs no shell, container-aware memory, OCI labels, and a build stage shared by the five images.
 */
class DockerfileTest {

    private static final Path REPOSITORY = Repository.root();
    private final Dockerfile dockerfile = Dockerfile.read(REPOSITORY.resolve("Dockerfile"));
    private final Dockerfile.Stage runtime = dockerfile.finalStage();

    @Test
    void theRuntimeBaseIsADistrolessJreWithNoShellAndTheImageRunsNothingAtBuildTime() {
        assertThat(runtime.baseImage()).startsWith("gcr.io/distroless/java").endsWith(":nonroot");
        assertThat(Integer.parseInt(runtime.baseImage().replaceAll(".*/java(\\d+)-.*", "$1"))).isGreaterThanOrEqualTo(21);
        assertThat(runtime.all("RUN")).as("a RUN would need a shell").isEmpty();
        assertThat(runtime.all("ENTRYPOINT")).singleElement().extracting(Dockerfile.Instruction::arguments)
                .isEqualTo("[\"/usr/bin/java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
    }

    @Test
    void theServiceRunsAsANumericNonRootUser() {
        String user = runtime.all("USER").getLast().arguments();

        assertThat(user).matches("\\d+:\\d+");
        assertThat(Integer.parseInt(user.split(":")[0])).isPositive();
        assertThat(Integer.parseInt(user.split(":")[1])).isPositive();
    }

    @Test
    void bootsLayersAreExtractedAndCopiedLeastOftenChangedFirst() {
        assertThat(dockerfile.stage("layers").all("RUN")).singleElement().extracting(Dockerfile.Instruction::arguments)
                .asString().contains("java -Djarmode=tools -jar \"jars/$SERVICE.jar\" extract --layers --launcher --destination /layers");
        List<String> layers = runtime.all("COPY").stream().map(Dockerfile.Instruction::arguments)
                .filter(copy -> copy.startsWith("--from=layers")).toList();

        assertThat(layers).containsExactly("--from=layers /layers/dependencies/ ./", "--from=layers /layers/spring-boot-loader/ ./",
                "--from=layers /layers/snapshot-dependencies/ ./", "--from=layers /layers/application/ ./");
    }

    @Test
    void theHealthCheckProbesLivenessWithoutAShell() {
        String healthcheck = runtime.all("HEALTHCHECK").getFirst().arguments();

        assertThat(healthcheck).contains("--start-period=").contains("CMD [\"/usr/bin/java\"")
                .contains("\"HealthProbe\", \"/actuator/health/liveness\"]");
        assertThat(runtime.all("COPY")).extracting(Dockerfile.Instruction::arguments)
                .contains("--from=build /workspace/healthcheck/ /opt/healthcheck/");
        assertThat(dockerfile.stage("build").all("RUN").getFirst().arguments())
                .contains("javac --release 21 -d healthcheck docker/HealthProbe.java");
        assertThat(REPOSITORY.resolve("docker/HealthProbe.java")).isRegularFile();
        // HEALTHCHECK does not expand variables: the probe reads the port the image sets.
        assertThat(Dockerfile.environment(runtime, Map.of("SERVICE_PORT", "8081"))).containsEntry("SERVER_PORT", "8081");
    }

    @Test
    void theJvmSizesItsHeapFromTheContainersMemory() {
        String options = Dockerfile.environment(runtime, Map.of()).get("JAVA_TOOL_OPTIONS");

        assertThat(options).contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError").doesNotContain("-Xmx");
    }

    @Test
    void theImageCarriesOciLabelsFromItsBuildArguments() {
        String labels = String.join(" ", runtime.all("LABEL").stream().map(Dockerfile.Instruction::arguments).toList());

        assertThat(labels).contains("org.opencontainers.image.title=\"polystore-${SERVICE}\"",
                "org.opencontainers.image.version=\"${VERSION}\"", "org.opencontainers.image.revision=\"${REVISION}\"",
                "org.opencontainers.image.source=\"${SOURCE_URL}\"");
    }

    @Test
    void theReactorIsBuiltOnceForAllImagesWithACachedMavenRepository() throws Exception {
        Dockerfile.Stage build = dockerfile.stage("build");
        String commands = String.join("\n", build.all("RUN").stream().map(Dockerfile.Instruction::arguments).toList());

        assertThat(build.baseImage()).startsWith("eclipse-temurin:").contains("-jdk");
        assertThat(commands).startsWith("--mount=type=cache,target=/root/.m2 ./mvnw").contains("-Dmaven.test.skip=true");
        assertThat(build.instructions()).as("the build stage must not depend on SERVICE, or BuildKit builds it five times")
                .noneMatch(instruction -> instruction.arguments().contains("SERVICE"));
        // Only what the build needs reaches it: a README change does not rebuild the reactor.
        assertThat(Files.readAllLines(REPOSITORY.resolve(".dockerignore"))).contains("*", "!*/src/main/", "!*/pom.xml")
                .doesNotContain("!*/src/test/");
    }
}
