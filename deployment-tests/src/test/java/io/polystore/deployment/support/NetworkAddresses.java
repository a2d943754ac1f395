package io.polystore.deployment.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a deployment's network addresses (compose's service names, Kubernetes Services) are on this machine:
 * {@code postgres:5432} becomes {@code 127.0.0.1:<the test's PostgreSQL port>}, and so on. Applied to values exactly
 * as the deployment gives them, it changes host names and ports only: {@code host:port} anywhere in a value, a
 * {@code *_HOST} variable whose value is a known host name, and a {@code *_PORT} variable whose value is a known port.
 * Everything else is left as written (a database role may well be called like a service: {@code gateway}).
 */
public final class NetworkAddresses {

    /** A host name and port in the deployment's network, and the port where that is on this machine. */
    public record Endpoint(String host, int containerPort, int localPort) {
    }

    private static final String LOCAL_HOST = "127.0.0.1";

    private final List<Endpoint> endpoints;

    public NetworkAddresses(List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    public Map<String, String> rewrite(Map<String, String> environment) {
        Map<String, String> rewritten = new LinkedHashMap<>();
        environment.forEach((name, value) -> rewritten.put(name, rewrite(name, value)));
        return rewritten;
    }

    public String rewrite(String name, String value) {
        for (Endpoint endpoint : endpoints) {
            if (name.endsWith("_HOST") && value.equals(endpoint.host())) {
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
