package io.polystore.gateway.identity;

import java.net.URI;
import java.util.Optional;

/** Where people sign in: what Swagger UI's Authorize button needs (authorization code with PKCE). */
public interface SignInEndpoints {

    /** The authorization and token endpoints, or empty while the issuer's metadata cannot be read. */
    Optional<Endpoints> endpoints();

    record Endpoints(URI authorization, URI token) {
    }
}
