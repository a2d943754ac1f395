package io.polystore.gateway.routing.internal;

import io.polystore.servicedefaults.region.RegionHeaderFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * One {@code Polystore-Region} per response, naming the region that answered. The gateway names its own region first
 * of all ({@link RegionHeaderFilter}); a response it proxies comes with the service's, which the proxy adds as a
 * second value. Here a later value replaces the earlier one instead, so a client sees the region whose service
 * answered (another one, once the gateway forwards to a customer's home region), and the gateway's where the gateway
 * answered itself (its own endpoints, refusals, a service that could not be reached).
 */
public final class AnsweringRegionHeader extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void addHeader(String name, String value) {
                if (RegionHeaderFilter.HEADER.equalsIgnoreCase(name)) {
                    super.setHeader(name, value);
                } else {
                    super.addHeader(name, value);
                }
            }
        });
    }
}
