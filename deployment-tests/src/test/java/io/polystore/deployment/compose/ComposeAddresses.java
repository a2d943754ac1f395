package io.polystore.deployment.compose;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the compose network's addresses are on this machine: {@code postgres:5432} becomes {@code 127.0.0.1:<the
 * test's PostgreSQL port>}, and so on. Applied to values exactly as compose gives them, it changes host names and
 * ports only: {@code host:port} anywhere in a value, a value that is a compose host name, and a {@code *_PORT}
 * variable whose value is a container port. Everything else is left as written.
 */
final class ComposeAddresses {

    /** A compose service's host name and container port, and where that is on this machine. */
    record Endpoint(String host, int containerPort, int localPort) {
    }

    private static final String LOCAL_HOST = "127.0.0.1";

    private final List<Endpoint> endpoints;

    ComposeAddresses(List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    Map<String, String> rewrite(Map<String, String> environment) {
        Map<String, String> rewritten = new LinkedHashMap<>();
        environment.forEach((name, value) -> rewritten.put(name, rewrite(name, value)));
        return rewritten;
    }

    String rewrite(String name, String value) {
        for (Endpoint endpoint : endpoints) {
            if (value.equals(endpoint.host())) {
                return LOCAL_HOST;
            }
            if (name.endsWith("_PORT") && value.equals(String.valueOf(endpoint.containerPort()))) {
                return String.valueOf(endpoint.localPort());
            }
        }
        String rewritten = value;
        for (Endpoint endpoint : endpoints) {
            Pattern address = Pattern.compile("(?<![\\w.-])" + Pattern.quote(endpoint.host() + ":" + endpoint.containerPort()) + "(?!\\d)");
            rewritten = address.matcher(rewritten).replaceAll(Matcher.quoteReplacement(LOCAL_HOST + ":" + endpoint.localPort()));
        }
        return rewritten;
    }
}
