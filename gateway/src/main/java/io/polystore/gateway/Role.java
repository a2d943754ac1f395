package io.polystore.gateway;

/** The platform's roles, as they appear in the token's {@code roles} claim (without Spring's {@code ROLE_} prefix). */
public enum Role {
    CUSTOMER,
    CATALOG_MANAGER,
    ORDER_MANAGER,
    AUDITOR,
    ADMIN;

    /** The Spring Security authority for this role, as the resource server maps the claim. */
    public String authority() {
        return "ROLE_" + name();
    }
}
