package io.polystore.e2e.load;

import io.polystore.e2e.RunningPlatform;
import io.polystore.testkit.platform.LocalPlatform;
import io.polystore.testkit.platform.PlatformPorts;
import io.polystore.testkit.platform.PlatformService;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the local platform costs to start and to keep: each service's time to ready (its own "Started ... in" and the
 * launcher's wait for its readiness probe), and the resident memory and threads of every process, once right after
 * start-up and once after the platform has idled for a while. Started as {@code ./polystore} starts it, on free ports,
 * with the launcher's JVM options or {@code -Dpolystore.services.jvm-options}. Not part of {@code verify}; see the
 * README for the command and figures.
 */
class PlatformFootprintBenchmark {

    private static final Duration IDLE = Duration.ofSeconds(Long.getLong("footprint.idle-seconds", 60));
    private static final Pattern STARTED = Pattern.compile("Started \\w+ in ([0-9.]+) seconds \\(process running for ([0-9.]+)\\)");
    private static final Pattern UP = Pattern.compile("^(\\S+) on port \\d+\\s+up in\\s+([0-9.]+) s");

    @Test
    void startUpTimesAndResidentMemory() throws Exception {
        Path repository = Path.of(System.getProperty("polystore.repository", ".."));
        Path data = Path.of("target/footprint-platform").toAbsolutePath();
        RunningPlatform.deleteRecursively(data);
        String options = System.getProperty(LocalPlatform.SERVICE_JVM_OPTIONS_PROPERTY, "the launcher's");
        System.out.printf("[footprint] load average at start: %s; services' JVM options: %s%n",
                PlatformProcesses.loadAverage(), options);
        Map<String, Double> launcherWait = new LinkedHashMap<>();
        long begin = System.nanoTime();
        try (LocalPlatform platform = LocalPlatform.start(new LocalPlatform.Options(repository, data, PlatformPorts.free(),
                line -> {
                    System.out.println("[platform] " + line);
                    Matcher up = UP.matcher(line.strip());
                    if (up.find()) {
                        launcherWait.put(up.group(1), Double.parseDouble(up.group(2)));
                    }
                }, Map.of()))) {
            double ready = (System.nanoTime() - begin) / 1e9;
            List<String> report = new ArrayList<>();
            report.add("[footprint] platform ready in %.1f s (load average %s), services' JVM options: %s"
                    .formatted(ready, PlatformProcesses.loadAverage(), options));
            Map<String, Set<Long>> processes = processes(platform);
            report.add("| process | started in (own log) | ready (launcher) | RSS after start | RSS after %d s idle | PSS after idle | threads |"
                    .formatted(IDLE.toSeconds()));
            report.add("| --- | --- | --- | --- | --- | --- | --- |");
            Map<String, Long> atStart = PlatformProcesses.residentMemory(processes);
            Thread.sleep(IDLE);
            Map<String, Long> afterIdle = PlatformProcesses.residentMemory(processes);
            Map<String, Long> proportional = PlatformProcesses.proportionalMemory(processes);
            for (String name : processes.keySet()) {
                String started = startedIn(data.resolve("logs").resolve(name + ".log"));
                Double waited = launcherWait.get(name);
                report.add(String.format(Locale.ROOT, "| %s | %s | %s | %d MiB | %d MiB | %d MiB | %d |", name, started,
                        waited == null ? "" : "%.1f s".formatted(waited), mib(atStart.get(name)), mib(afterIdle.get(name)),
                        mib(proportional.get(name)), PlatformProcesses.threads(processes.get(name))));
            }
            report.add(String.format(Locale.ROOT, "| **total** | | | **%d MiB** | **%d MiB** | **%d MiB** | |",
                    total(atStart), total(afterIdle), total(proportional)));
            report.add("[footprint] load average at the end: " + PlatformProcesses.loadAverage());
            report.forEach(System.out::println);
            Files.write(Path.of("target/platform-footprint.txt"), report);
            assertThat(afterIdle.values()).allSatisfy(bytes -> assertThat(bytes).isPositive());
        }
    }

    private static Map<String, Set<Long>> processes(LocalPlatform platform) {
        Map<String, Set<Long>> processes = new LinkedHashMap<>();
        for (PlatformService service : PlatformService.values()) {
            processes.put(service.moduleName(), Set.of(platform.service(service).pid()));
        }
        processes.put("PostgreSQL", PlatformProcesses.withDescendants(PlatformProcesses.postmaster(platform.dataDirectory())));
        processes.put("Kafka", PlatformProcesses.withDescendants(PlatformProcesses.kafkaBroker()));
        processes.put("SurrealDB", PlatformProcesses.withDescendants(PlatformProcesses.surrealDbEngine()));
        return processes;
    }

    /** "12.3 s (JVM 14.0 s)": Spring's time to a started context, and the JVM's since launch, from the service's log. */
    private static String startedIn(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        try (var lines = Files.lines(log)) {
            return lines.map(STARTED::matcher).filter(Matcher::find).findFirst()
                    .map(found -> "%s s (JVM %s s)".formatted(found.group(1), found.group(2))).orElse("");
        }
    }

    private static long total(Map<String, Long> bytes) {
        return mib(bytes.values().stream().mapToLong(Long::longValue).sum());
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }
}
