package io.polystore.e2e.load;

import io.polystore.testkit.platform.LocalPlatform;
import io.polystore.testkit.platform.PlatformService;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/**
 * CPU time of the platform's processes from Linux's {@code /proc}: per named group of process trees, the user and
 * system time consumed so far, so that two samples give each part's share of a core over a run.
 */
final class ProcessCpu {

    /** Linux's USER_HZ: {@code /proc/<pid>/stat} counts in hundredths of a second. */
    private static final double TICKS_PER_SECOND = 100;

    private final Map<String, Supplier<LongStream>> groups = new LinkedHashMap<>();

    /** Each of the local platform's services, PostgreSQL, the Kafka broker and the SurrealDB engine. */
    static ProcessCpu of(LocalPlatform platform) {
        ProcessCpu cpu = new ProcessCpu();
        for (PlatformService service : PlatformService.values()) {
            cpu.add(service.moduleName(), () -> Set.of(platform.service(service).pid()));
        }
        return cpu.add("PostgreSQL", () -> PlatformProcesses.postmaster(platform.dataDirectory()))
                .add("Kafka", PlatformProcesses::kafkaBroker)
                .add("SurrealDB", PlatformProcesses::surrealDbEngine);
    }

    /** A group: the processes whose ids the supplier gives now, with their descendants. */
    ProcessCpu add(String name, Supplier<Set<Long>> roots) {
        groups.put(name, () -> PlatformProcesses.withDescendants(roots.get()).stream().mapToLong(Long::longValue));
        return this;
    }

    /** This JVM alone, without the processes it started. */
    ProcessCpu addThisProcess(String name) {
        groups.put(name, () -> LongStream.of(ProcessHandle.current().pid()));
        return this;
    }

    /** CPU seconds so far, per group. */
    Map<String, Double> sample() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        groups.forEach((name, pids) -> seconds.put(name, pids.get().map(ProcessCpu::ticks).sum() / TICKS_PER_SECOND));
        return seconds;
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name may hold spaces: fields are counted after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException goneOrNotLinux) {
            return 0;
        }
    }
}
