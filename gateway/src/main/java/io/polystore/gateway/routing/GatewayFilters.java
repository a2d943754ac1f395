package io.polystore.gateway.routing;

import io.polystore.gateway.routing.internal.ApiDocsRewriter;
import io.polystore.gateway.routing.internal.ResilientUpstream;
import org.springframework.cloud.gateway.server.mvc.common.Shortcut;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The gateway's own route filters, usable in {@code spring.cloud.gateway.server.webmvc.routes[].filters}:
 * <ul>
 * <li>{@code Resilient=<route-id>}: circuit breaker, retries of reads, and 503/504/502 problem details when the
 * service is down, slow or broken; also names the route in the access audit;</li>
 * <li>{@code GatewayApiDocs=<server-path>}: rewrites a service's OpenAPI document for Swagger UI at the gateway:
 * its server becomes {@code <server-path>} on the gateway, and it gains the gateway's OAuth2 sign-in scheme.</li>
 * </ul>
 */
public final class GatewayFilters {

    private GatewayFilters() {
    }

    @Shortcut
    public static HandlerFilterFunction<ServerResponse, ServerResponse> resilient(String routeId) {
        return new ResilientUpstream(routeId);
    }

    @Shortcut
    public static HandlerFilterFunction<ServerResponse, ServerResponse> gatewayApiDocs(String serverPath) {
        return HandlerFilterFunction.ofResponseProcessor(ApiDocsRewriter.forServerPath(serverPath));
    }
}
