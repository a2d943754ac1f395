package io.polystore.order.placement;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

import java.util.Set;
import java.util.stream.Collectors;

/** Who calls: the JWT subject and roles. */
public record Caller(String subject, Set<String> roles) {

    public static Caller of(Authentication authentication) {
        return new Caller(authentication.getName(), authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith("ROLE_"))
                .map(authority -> authority.substring("ROLE_".length()))
                .collect(Collectors.toUnmodifiableSet()));
    }

    /** Order managers and administrators see and manage every order. */
    public boolean managesOrders() {
        return roles.contains("ORDER_MANAGER") || roles.contains("ADMIN");
    }

    /** Auditors may look at any order, with its personal data masked. */
    public boolean audits() {
        return roles.contains("AUDITOR");
    }
}
