package io.polystore.gateway.support;

import java.util.List;
import java.util.Map;

/** One echo upstream per Polystore service, started once per test JVM. */
public final class EchoUpstreams {

    public static final List<String> SERVICES = List.of("orders", "catalog", "audit", "sync");

    private static Map<String, EchoUpstream> upstreams;

    private EchoUpstreams() {
    }

    public static synchronized Map<String, EchoUpstream> all() {
        if (upstreams == null) {
            upstreams = SERVICES.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(s -> s, EchoUpstream::start));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> upstreams.values().forEach(EchoUpstream::close)));
        }
        return upstreams;
    }

    public static EchoUpstream of(String service) {
        return all().get(service);
    }
}
