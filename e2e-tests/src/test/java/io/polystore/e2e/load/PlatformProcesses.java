package io.polystore.e2e.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The local platform's processes as Linux's {@code /proc} shows them, and the machine's load average. */
final class PlatformProcesses {

    private PlatformProcesses() {
    }

    /** PostgreSQL's postmaster, which runs detached from this JVM and is found by its {@code postmaster.pid}. */
    static Set<Long> postmaster(Path dataDirectory) {
        try {
            return Set.of(Long.parseLong(Files.readAllLines(dataDirectory.resolve("postgres").resolve("postmaster.pid"))
                    .getFirst().strip()));
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /** The processes and all their descendants (PostgreSQL's backends, the SurrealDB engine's RPC server). */
    static Set<Long> withDescendants(Set<Long> roots) {
        Set<Long> tree = new HashSet<>();
        for (long pid : roots) {
            tree.add(pid);
            ProcessHandle.of(pid).ifPresent(process -> process.descendants().forEach(child -> tree.add(child.pid())));
        }
        return tree;
    }

    /** The Kafka broker: this JVM's java child that is no service jar (its command line is too long to match). */
    static Set<Long> kafkaBroker() {
        return children(command -> !command.contains(" -jar ") && !command.contains("node"));
    }

    /** The SurrealDB engine: the Node process this JVM started (its RPC server runs as that one's child). */
    static Set<Long> surrealDbEngine() {
        return children(command -> command.contains("node"));
    }

    /** This JVM's child processes whose command line matches. */
    static Set<Long> children(Predicate<String> command) {
        Set<Long> pids = new HashSet<>();
        ProcessHandle.current().children().filter(child -> command.test(child.info().commandLine().orElse("")))
                .forEach(child -> pids.add(child.pid()));
        return pids;
    }

    /** Resident memory (VmRSS) of each named group of processes, in bytes; memory shared between them counts in each. */
    static Map<String, Long> residentMemory(Map<String, Set<Long>> processes) {
        return sum(processes, "status", "VmRSS:");
    }

    /** Proportional memory (Pss): each shared page split between the processes that map it, in bytes. */
    static Map<String, Long> proportionalMemory(Map<String, Set<Long>> processes) {
        return sum(processes, "smaps_rollup", "Pss:");
    }

    static long threads(Set<Long> pids) {
        return pids.stream().mapToLong(pid -> field(pid, "status", "Threads:")).sum();
    }

    private static Map<String, Long> sum(Map<String, Set<Long>> processes, String file, String field) {
        Map<String, Long> bytes = new LinkedHashMap<>();
        processes.forEach((name, pids) -> bytes.put(name, pids.stream().mapToLong(pid -> field(pid, file, field) * 1024).sum()));
        return bytes;
    }

    /** A number from {@code /proc/<pid>/<file>} (kB for memory); 0 when the process is gone. */
    private static long field(long pid, String file, String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), file))) {
            return lines.filter(line -> line.startsWith(field)).findFirst()
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).orElse(0L);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "unknown";
        }
    }
}
