package io.polystore.gateway.audit.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.AccessDecided;
import io.polystore.gateway.access.AccessAttributes;
import io.polystore.gateway.audit.AccessAuditPublisher;
import jakarta.servlet.ServletException;
import org.apache.catalina.AccessLog;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Records one access decision per request, where Tomcat logs access: after the response is complete, and also for
 * requests Tomcat refuses before the application sees them (headers too large, malformed request lines). The
 * decision is ALLOW when the request was forwarded to a service (whatever the service answered), or answered by the
 * gateway itself without a client error; DENY when the gateway refused it (401, 403, 413, 429, a rejected path, ...).
 */
public final class AccessAuditValve extends ValveBase implements AccessLog {

    private static final String UNKNOWN = "unknown";

    private final AccessAuditPublisher publisher;
    private final List<PathPattern> quietPaths;
    private final Clock clock;
    private final Counter allowed;
    private final Counter denied;

    public AccessAuditValve(AccessAuditPublisher publisher, List<String> quietPaths, Clock clock, MeterRegistry meters) {
        super(true);
        this.publisher = publisher;
        this.quietPaths = quietPaths.stream().map(PathPatternParser.defaultInstance::parse).toList();
        this.clock = clock;
        this.allowed = meters.counter("polystore.gateway.access.decisions", "decision", "allow");
        this.denied = meters.counter("polystore.gateway.access.decisions", "decision", "deny");
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
    }

    @Override
    public void log(Request request, Response response, long timeNanos) {
        String route = (String) request.getAttribute(AccessAttributes.ROUTE);
        int status = response.getStatus();
        boolean refused = request.getAttribute(AccessAttributes.REFUSED) != null;
        boolean allowed = !refused && (route != null || status < 400 || status >= 500);
        (allowed ? this.allowed : denied).increment();
        String path = request.getRequestURI();
        if (allowed && path != null && isQuiet(path)) {
            return;
        }
        String principal = (String) request.getAttribute(AccessAttributes.PRINCIPAL);
        String method = request.getMethod();
        String address = request.getRemoteAddr();
        publisher.publish(new AccessDecided(
                principal == null ? AccessDecided.ANONYMOUS : principal,
                (String) request.getAttribute(AccessAttributes.CLIENT),
                method == null || method.isBlank() ? UNKNOWN : method,
                route != null ? route : (path == null || path.isBlank() ? UNKNOWN : path),
                status,
                allowed ? AccessDecided.Decision.ALLOW : AccessDecided.Decision.DENY,
                TimeUnit.NANOSECONDS.toMicros(Math.max(0, timeNanos)),
                address == null || address.isBlank() ? UNKNOWN : address,
                clock.instant()));
    }

    private boolean isQuiet(String path) {
        PathContainer container = PathContainer.parsePath(path);
        for (PathPattern pattern : quietPaths) {
            if (pattern.matches(container)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void setRequestAttributesEnabled(boolean requestAttributesEnabled) {
        // The client address is always the connection's, or the one Tomcat's RemoteIpValve set from trusted proxies.
    }

    @Override
    public boolean getRequestAttributesEnabled() {
        return false;
    }
}
