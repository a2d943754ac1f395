package io.polystore.testkit.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The five services, in the order the launcher reports them. */
public enum PlatformService {
    GATEWAY("gateway"),
    ORDERS("order-service"),
    CATALOG("catalog-service"),
    SYNC("sync-service"),
    AUDIT("audit-service");

    private final String moduleName;

    PlatformService(String moduleName) {
        this.moduleName = moduleName;
    }

    /** The Maven module, which is also the jar's and the application's name. */
    public String moduleName() {
        return moduleName;
    }

    public int port(PlatformPorts ports) {
        return switch (this) {
            case GATEWAY -> ports.gateway();
            case ORDERS -> ports.orders();
            case CATALOG -> ports.catalog();
            case SYNC -> ports.sync();
            case AUDIT -> ports.audit();
        };
    }

    /** {@code <module>/target/<module>-<version>.jar}, the Boot jar Maven's package phase made. */
    public Path jar(Path repository) {
        Path target = repository.resolve(moduleName).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().matches(Pattern.quote(moduleName) + "-\\d.*\\.jar"))
                    .filter(file -> !file.getFileName().toString().endsWith("-sources.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No jar of " + moduleName + " in " + target
                            + "; build it first (./mvnw -DskipTests package)"));
        } catch (IOException e) {
            throw new IllegalStateException("No " + target + "; build " + moduleName + " first (./mvnw -DskipTests package)", e);
        }
    }
}
