package io.polystore.deployment.compose;

import io.polystore.deployment.support.HostCommand;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code docker-compose.yml} as Docker Compose itself resolves it ({@code docker-compose config}): {@code .env}
 * read, variables interpolated, anchors merged. Compose's own interpretation, not a copy of it, is what the tests
 * check and boot.
 */
public final class ComposeConfig {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final Map<String, Object> config;

    private ComposeConfig(Map<String, Object> config) {
        this.config = config;
    }

    /**
     * Runs {@code docker-compose config} in the directory, with no variables of this JVM's environment, so that
     * {@code .env} alone supplies them.
     */
    public static ComposeConfig resolve(Path directory) {
        HostCommand.requireInstalled("docker-compose", "docker-compose");
        String output = HostCommand.runOk(directory, Map.of(), TIMEOUT, List.of("docker-compose", "config"));
        return new ComposeConfig(new Yaml().load(output));
    }

    Set<String> serviceNames() {
        return services().keySet();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> services() {
        return (Map<String, Object>) config.get("services");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> service(String name) {
        Map<String, Object> service = (Map<String, Object>) services().get(name);
        if (service == null) {
            throw new IllegalArgumentException("docker-compose.yml has no service " + name);
        }
        return service;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> volumes() {
        return (Map<String, Object>) config.getOrDefault("volumes", Map.of());
    }

    /** The service's environment as its container gets it ({@code config} writes a literal {@code $} as {@code $$}). */
    Map<String, String> environment(String name) {
        return strings(service(name).get("environment"));
    }

    /** The build arguments of a service built from this repository. */
    @SuppressWarnings("unchecked")
    Map<String, String> buildArguments(String name) {
        Map<String, Object> build = (Map<String, Object>) service(name).get("build");
        return build == null ? Map.of() : strings(build.get("args"));
    }

    @SuppressWarnings("unchecked")
    List<String> list(String name, String key) {
        Object value = service(name).get(key);
        return value == null ? List.of() : ((List<Object>) value).stream().map(item -> unescape(String.valueOf(item))).toList();
    }

    /** The health check's {@code test}, e.g. {@code [CMD, pg_isready, ...]}; empty when the service has none. */
    @SuppressWarnings("unchecked")
    List<String> healthcheck(String name) {
        Map<String, Object> healthcheck = (Map<String, Object>) service(name).get("healthcheck");
        return healthcheck == null ? List.of() : ((List<Object>) healthcheck.get("test")).stream().map(String::valueOf).toList();
    }

    /**
     * Where a bind-mounted container path is on this machine: for {@code ./compose/x.yml:/etc/x.yml:ro},
     * {@code hostPath(service, "/etc/x.yml")} is the absolute path of {@code compose/x.yml}.
     */
    Path hostPath(String name, String containerPath) {
        for (String volume : list(name, "volumes")) {
            String[] parts = volume.split(":");
            if (parts.length >= 2 && parts[0].startsWith("/")
                    && (containerPath.equals(parts[1]) || containerPath.startsWith(parts[1] + "/"))) {
                return Path.of(parts[0] + containerPath.substring(parts[1].length()));
            }
        }
        throw new IllegalArgumentException(name + " mounts nothing from this machine at " + containerPath);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Object mapping) {
        Map<String, String> values = new LinkedHashMap<>();
        if (mapping != null) {
            ((Map<String, Object>) mapping).forEach((key, value) -> values.put(key, value == null ? "" : unescape(String.valueOf(value))));
        }
        return values;
    }

    private static String unescape(String value) {
        return value.replace("$$", "$");
    }
}
