package io.polystore.deployment.images;

import io.polystore.deployment.support.Dockerfile;
import io.polystore.deployment.support.HostCommand;
import io.polystore.deployment.support.ImageRuntime;
import io.polystore.deployment.support.Repository;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.platform.PlatformPorts;
import io.polystore.testkit.platform.PlatformService;
import io.polystore.testkit.postgres.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the image runs, assembled as the Dockerfile assembles it, without Docker: the packaged jar's layers extracted
 * with the Dockerfile's own command, copied into one directory in the Dockerfile's COPY order, and started with its
 * ENTRYPOINT and ENV from that directory (its WORKDIR). The service starts from that layout, its health check
 * answers, and a store it cannot reach is named at start-up.
 */
class ImageLayoutIT {

    private static final Path REPOSITORY = Repository.root();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Dockerfile dockerfile = Dockerfile.read(REPOSITORY.resolve("Dockerfile"));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @TempDir
    Path work;

    @Test
    void theServiceStartsFromTheImagesLayoutAndItsHealthCheckAnswers() throws Exception {
        int port = PlatformPorts.free().gateway();
        Path application = assemble(PlatformService.GATEWAY);
        // The gateway starts without Kafka, not without its database; the local profile gives it a signing key and
        // its demo accounts.
        PostgresServer postgres = SharedServers.postgres();
        postgres.createDatabaseIfMissing("gateway");
        Process gateway = start(application, port, Map.of("SPRING_PROFILES_ACTIVE", "local",
                "SPRING_DATASOURCE_URL", postgres.jdbcUrl("gateway"), "SPRING_DATASOURCE_USERNAME", postgres.username(),
                "SPRING_DATASOURCE_PASSWORD", postgres.password()));
        try {
            await("gateway ready from the image's layout").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(gateway.isAlive()).as("the gateway exited; see %s", application.resolve("service.log")).isTrue();
                return status(port, "/actuator/health/readiness") == 200;
            });
            Path probe = ImageRuntime.compileHealthProbe(REPOSITORY, work.resolve("healthcheck"));
            List<String> check = Dockerfile.execForm(dockerfile.finalStage().all("HEALTHCHECK").getFirst());
            HostCommand.Result answer = HostCommand.run(application, image(port), Duration.ofSeconds(30),
                    ImageRuntime.onThisMachine(check, probe));
            assertThat(answer.exitCode()).as(answer.output()).isZero();
            assertThat(answer.output()).contains("/actuator/health/liveness answered 200");
        } finally {
            stop(gateway);
        }
    }

    @Test
    void aServiceThatCannotReachItsDatabaseSaysWhichAtStartUp() throws Exception {
        int closed = PlatformPorts.free().postgres();
        Path application = assemble(PlatformService.ORDERS);
        Process orders = start(application, PlatformPorts.free().orders(), Map.of(
                "SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/orders",
                "POLYSTORE_PERSONALDATA_MASTERKEY", "generate-for-development",
                "POLYSTORE_ORDERS_CUSTOMERDIGESTKEY", "svcr2P1S6OrcIdLSMG5gLiRRD3strwdC1UHuO4qvw6o="));
        try {
            assertThat(orders.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("order-service stopped").isTrue();
            assertThat(orders.exitValue()).isNotZero();
            assertThat(Files.readString(application.resolve("service.log")))
                    .contains("Cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:" + closed + "/orders");
        } finally {
            stop(orders);
        }
    }

    /** The service's layers, extracted by the Dockerfile's command and copied in its COPY order into one directory. */
    private Path assemble(PlatformService service) throws IOException {
        Path jars = Files.createDirectories(work.resolve("jars"));
        Files.copy(service.jar(REPOSITORY), jars.resolve(service.moduleName() + ".jar"));
        String run = dockerfile.stage("layers").all("RUN").getFirst().arguments();
        String extract = run.substring(run.indexOf("java -Djarmode=tools"))
                .replace("$SERVICE", service.moduleName()).replace("\"", "").replace("/layers", work.resolve("layers").toString());
        List<String> command = new ArrayList<>(List.of(extract.split(" ")));
        command.set(0, ImageRuntime.jdkTool("java"));
        HostCommand.runOk(work, Map.of(), Duration.ofMinutes(2), command);

        Path application = Files.createDirectories(work.resolve("app"));
        for (Dockerfile.Instruction copy : dockerfile.finalStage().all("COPY")) {
            String[] parts = copy.arguments().split(" ");
            if (parts[0].equals("--from=layers")) {
                copyTree(work.resolve(parts[1].replaceFirst("^/", "")), application);
            }
        }
        return application;
    }

    /** The ENTRYPOINT in the WORKDIR, with the image's ENV plus the given variables, and nothing else. */
    private Process start(Path application, int port, Map<String, String> environment) throws IOException {
        List<String> entrypoint = Dockerfile.execForm(dockerfile.finalStage().all("ENTRYPOINT").getFirst());
        ProcessBuilder builder = new ProcessBuilder(ImageRuntime.onThisMachine(entrypoint, work)).directory(application.toFile())
                .redirectErrorStream(true).redirectOutput(application.resolve("service.log").toFile());
        builder.environment().clear();
        builder.environment().putAll(image(port));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** The image's ENV for a service built to listen on this port; a small heap, as five JVMs share the machine. */
    private Map<String, String> image(int port) {
        Map<String, String> environment = new LinkedHashMap<>(Dockerfile.environment(dockerfile.finalStage(),
                Map.of("SERVICE_PORT", String.valueOf(port))));
        environment.put("JAVA_TOOL_OPTIONS", environment.get("JAVA_TOOL_OPTIONS") + " -Xmx256m");
        return environment;
    }

    private int status(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
