package io.polystore.order.residency.internal;

import io.polystore.order.residency.HomeRegionOnly;
import io.polystore.order.residency.HomeRegionRule;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

import java.util.Arrays;
import java.util.Map;

/**
 * Applies the {@link HomeRegionRule} to every {@link HomeRegionOnly} endpoint, before the endpoint runs (and before
 * its body is read), so that a misdirected request writes nothing.
 */
public final class HomeRegionInterceptor implements HandlerInterceptor {

    private final HomeRegionRule rule;

    public HomeRegionInterceptor(HomeRegionRule rule) {
        this.rule = rule;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        HomeRegionOnly marked = method.getMethodAnnotation(HomeRegionOnly.class);
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (marked == null || !(caller instanceof JwtAuthenticationToken token) || actsForOthers(caller, marked)) {
            return true;
        }
        String customer = token.getName();
        if (!marked.customerVariable().isEmpty()) {
            @SuppressWarnings("unchecked")
            var variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
            customer = variables.get(marked.customerVariable());
        }
        rule.check(token, customer);
        return true;
    }

    private static boolean actsForOthers(Authentication caller, HomeRegionOnly marked) {
        return caller.getAuthorities().stream().map(GrantedAuthority::getAuthority).anyMatch(authority ->
                Arrays.stream(marked.unlessRole()).anyMatch(role -> authority.equals("ROLE_" + role)));
    }
}
