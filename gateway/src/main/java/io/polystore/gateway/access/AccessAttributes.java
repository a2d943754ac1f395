package io.polystore.gateway.access;

/**
 * Request attributes in which the gateway notes who made a request and where it went, for the access audit,
 * which reads them once the response is complete.
 */
public final class AccessAttributes {

    /** The authenticated principal's name (JWT subject, username or client id); absent for anonymous requests. */
    public static final String PRINCIPAL = AccessAttributes.class.getName() + ".principal";
    /** The OAuth2 client the caller's token was issued to, or that authenticated at the token endpoint. */
    public static final String CLIENT = AccessAttributes.class.getName() + ".client";
    /** The id of the gateway route the request was forwarded on; absent when it was not forwarded. */
    public static final String ROUTE = AccessAttributes.class.getName() + ".route";
    /** Present when the gateway refused a request on a route itself, rather than the service answering it. */
    public static final String REFUSED = AccessAttributes.class.getName() + ".refused";

    private AccessAttributes() {
    }
}
