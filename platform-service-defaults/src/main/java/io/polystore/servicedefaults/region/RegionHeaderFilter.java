package io.polystore.servicedefaults.region;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/** Names the region that answered in every response, refusals included, so that clients and operators can tell. */
public final class RegionHeaderFilter extends OncePerRequestFilter {

    public static final String HEADER = "Polystore-Region";

    private final String region;

    public RegionHeaderFilter(String region) {
        this.region = region;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(HEADER, region);
        chain.doFilter(request, response);
    }
}
