package io.polystore.gateway.access;

import io.polystore.gateway.Role;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpMethod;

import java.util.List;
import java.util.Set;

/**
 * Who may call which paths with which methods. Rules are tried in order and the first one whose method and path
 * match decides; a request no rule matches is denied.
 *
 * @param methods    the HTTP methods the rule covers; empty for every method
 * @param paths      path patterns ({@code /api/orders/**}, {@code /api/catalog/products/{id}}), matched against the
 *                   normalised request path
 * @param roles      roles that may pass; a token needs at least one of them
 * @param anonymous  true to let everybody pass, with or without a token (sign-in pages, API docs, probes)
 */
public record AccessRule(
        @DefaultValue List<HttpMethod> methods,
        @NotEmpty List<@Pattern(regexp = "/.*", message = "must start with /") String> paths,
        @DefaultValue Set<Role> roles,
        @DefaultValue("false") boolean anonymous) {

    private static final List<HttpMethod> KNOWN_METHODS = List.of(HttpMethod.values());

    public AccessRule {
        for (HttpMethod method : methods) {
            if (!KNOWN_METHODS.contains(method)) {
                throw new IllegalArgumentException("Unknown HTTP method '" + method + "'; use one of " + KNOWN_METHODS);
            }
        }
        methods = List.copyOf(methods);
        paths = List.copyOf(paths);
        roles = Set.copyOf(roles);
    }

    @AssertTrue(message = "a rule names roles or is anonymous, not both and not neither")
    boolean isEitherAnonymousOrRoles() {
        return anonymous == roles.isEmpty();
    }
}
