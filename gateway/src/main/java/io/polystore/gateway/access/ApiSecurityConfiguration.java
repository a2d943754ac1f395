package io.polystore.gateway.access;

import io.polystore.gateway.Role;
import io.polystore.gateway.access.internal.ProblemRequestRejectedHandler;
import io.polystore.gateway.limits.GatewayLimits;
import io.polystore.servicedefaults.problem.ProblemResponses;
import io.polystore.servicedefaults.security.ProblemDetailsSecurityHandler;
import io.polystore.servicedefaults.security.ResourceServerSecurity;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

import java.util.Arrays;

/**
 * The security filter chain for everything the identity chains do not claim: the routed APIs, the API docs,
 * Swagger UI and the probes. Stateless, bearer tokens only, the configured rules in order, and anything they do not
 * name is denied; 401 and 403 are problem details. It replaces the default chain of platform-service-defaults.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

    /** After the authorization server's and the sign-in chains, which match only their own paths. */
    static final int ORDER = 3;

    @Bean
    @Order(ORDER)
    SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, AccessProperties access, GatewayLimits limits,
                                               ProblemDetailsSecurityHandler problems) {
        ResourceServerSecurity.statelessBearerTokens(http, problems)
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(requests -> applyRules(requests, access))
                .addFilterAfter(new PrincipalRecorder(), SecurityContextHolderFilter.class)
                .addFilterBefore(limits.rateLimitFilter(), AuthorizationFilter.class);
        limits.applyTo(http);
        return http.build();
    }

    /** A path the firewall refuses (traversal, encoded slashes or dots, ...) gets 400 as problem details. */
    @Bean
    RequestRejectedHandler problemDetailsRequestRejectedHandler(ProblemResponses problems) {
        return new ProblemRequestRejectedHandler(problems);
    }

    private static void applyRules(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests,
            AccessProperties access) {
        // Error pages rendered for a request that was already authorised or refused.
        requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
        for (AccessRule rule : access.rules()) {
            String[] roles = rule.roles().stream().map(Role::name).sorted().toArray(String[]::new);
            for (String path : rule.paths()) {
                for (HttpMethod method : rule.methods().isEmpty() ? Arrays.asList((HttpMethod) null) : rule.methods()) {
                    var matcher = PathPatternRequestMatcher.withDefaults().matcher(method, path);
                    if (rule.anonymous()) {
                        requests.requestMatchers(matcher).permitAll();
                    } else {
                        requests.requestMatchers(matcher).access(AuthorityAuthorizationManager.hasAnyRole(roles));
                    }
                }
            }
        }
        requests.anyRequest().denyAll();
    }
}
