package io.polystore.gateway.routing.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.cloud.gateway.server.mvc.filter.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.function.ServerRequest;

import java.util.Locale;

/**
 * Tells a service the public address of the request it gets: {@code X-Forwarded-Prefix} (what the route stripped,
 * e.g. {@code /api} or {@code /api/catalog}), {@code -Host}, {@code -Port}, {@code -Proto} and {@code -For}, as the
 * gateway itself saw the request. Services honour them ({@code server.forward-headers-strategy=framework}), so that
 * their {@code Location} headers are the public {@code /api/...} addresses. Each is set, never appended to: whatever
 * a client sent in any {@code X-Forwarded-*} or {@code Forwarded} header is dropped first (Spring Cloud Gateway's own
 * removal runs before this, and this removes again), so a client cannot make a service believe another address,
 * prefix or client.
 */
public final class ForwardedHeaders implements HttpHeadersFilter.RequestHttpHeadersFilter, Ordered {

    @Override
    public HttpHeaders apply(HttpHeaders input, ServerRequest request) {
        HttpHeaders headers = new HttpHeaders();
        input.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("x-forwarded-") && !lower.equals("forwarded")) {
                headers.addAll(name, values);
            }
        });
        HttpServletRequest received = request.servletRequest();
        String original = received.getRequestURI();
        String routed = request.uri().getRawPath();
        if (routed != null && original.endsWith(routed) && original.length() > routed.length()) {
            headers.set("X-Forwarded-Prefix", original.substring(0, original.length() - routed.length()));
        }
        headers.set("X-Forwarded-Proto", received.getScheme());
        headers.set("X-Forwarded-Host", received.getServerName());
        headers.set("X-Forwarded-Port", Integer.toString(received.getServerPort()));
        headers.set("X-Forwarded-For", received.getRemoteAddr());
        return headers;
    }

    /** After Spring Cloud Gateway's own filters, which remove or append forwarded headers. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
