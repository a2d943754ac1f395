package io.polystore.order.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.support.TestPropertySourceUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays audit-service's {@code GET /audit/subjects/{person}/records} for order-service's tests (the real endpoint is
 * audit-service's own test, and the two together run end to end): answers the pages a test gives for a person, each
 * page naming the next by its number as cursor, and remembers the Authorization header of every request.
 */
public final class AuditServiceStandIn {

    private static final AuditServiceStandIn INSTANCE = new AuditServiceStandIn();

    private final HttpServer server;
    private final Map<String, List<String>> pagesByPerson = new ConcurrentHashMap<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    private AuditServiceStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/audit/subjects/", this::handle);
        server.start();
    }

    public static AuditServiceStandIn get() {
        return INSTANCE;
    }

    /** The records pages for {@code person}: each a JSON array of records. */
    public void recordsFor(String person, String... pages) {
        pagesByPerson.put(person, List.of(pages));
    }

    public void down(boolean down) {
        this.down = down;
    }

    public List<String> authorizations() {
        return authorizations;
    }

    private void handle(HttpExchange exchange) throws IOException {
        authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
        String path = exchange.getRequestURI().getPath();
        String person = path.substring("/audit/subjects/".length(), path.length() - "/records".length());
        String query = exchange.getRequestURI().getQuery();
        int page = query != null && query.startsWith("cursor=") ? Integer.parseInt(query.substring("cursor=".length())) : 0;
        List<String> pages = pagesByPerson.getOrDefault(person, List.of("[]"));
        String next = page + 1 < pages.size() ? "\"" + (page + 1) + "\"" : "null";
        byte[] body = ("{\"records\":" + pages.get(page) + ",\"nextCursor\":" + next + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", down ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(down ? 503 : 200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** Points order-service's {@code polystore.access.audit-service-url} at the stand-in. */
    public static final class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context,
                    "polystore.access.audit-service-url=http://127.0.0.1:" + INSTANCE.server.getAddress().getPort());
        }
    }
}
