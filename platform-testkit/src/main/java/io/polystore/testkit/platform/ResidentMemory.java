package io.polystore.testkit.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** Resident memory (RSS) of process trees, from Linux's {@code /proc}. */
final class ResidentMemory {

    private ResidentMemory() {
    }

    /** The RSS of the given processes and all their descendants, in bytes; 0 where {@code /proc} is missing. */
    static long ofTrees(Set<Long> roots) {
        return ProcessHandle.allProcesses()
                .filter(process -> descendsFrom(process, roots))
                .mapToLong(process -> of(process.pid()))
                .sum();
    }

    static long of(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException goneOrNotLinux) {
            return 0;
        }
        return 0;
    }

    private static boolean descendsFrom(ProcessHandle process, Set<Long> roots) {
        for (Optional<ProcessHandle> current = Optional.of(process); current.isPresent(); current = current.get().parent()) {
            if (roots.contains(current.get().pid())) {
                return true;
            }
        }
        return false;
    }
}
