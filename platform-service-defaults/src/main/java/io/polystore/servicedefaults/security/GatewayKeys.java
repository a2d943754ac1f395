package io.polystore.servicedefaults.security;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.text.ParseException;
import java.util.List;

/**
 * Another region's gateway's signing keys, found through its discovery document and kept while it is down: the
 * customers of a region that is down still hold its tokens, and other regions must still check them to serve their
 * order history from a replica. Fetched ahead of any token ({@link #fetch()}), cached and refreshed as Nimbus's
 * default JWK source does, and the last keys fetched are used for as long as the gateway cannot be reached. Both
 * documents are read with the service's HTTP client (Boot's {@code spring.http.clients.*}, its TLS bundle among them).
 */
final class GatewayKeys implements JWKSource<SecurityContext> {

    private static final JWKSelector ALL = new JWKSelector(new JWKMatcher.Builder().build());

    private final String issuer;
    private final RestClient http;
    private volatile JWKSource<SecurityContext> keys;

    GatewayKeys(String issuer, RestClient http) {
        this.issuer = issuer;
        this.http = http;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        return source().get(selector, context);
    }

    /** Fetches the keys now unless they are fresh in the cache; false, with the reason left aside, if it cannot. */
    boolean fetch() {
        try {
            return !get(ALL, null).isEmpty();
        } catch (KeySourceException unreachable) {
            return false;
        }
    }

    String issuer() {
        return issuer;
    }

    private JWKSource<SecurityContext> source() throws KeySourceException {
        JWKSource<SecurityContext> source = keys;
        if (source == null) {
            synchronized (this) {
                if (keys == null) {
                    keys = JWKSourceBuilder.<SecurityContext>create(jwkSetUrl(), this::read).outageTolerantForever().build();
                }
                source = keys;
            }
        }
        return source;
    }

    private URL jwkSetUrl() throws KeySourceException {
        URI discovery = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
        try {
            return URI.create(JSONObjectUtils.getString(JSONObjectUtils.parse(read(discovery.toURL()).getContent()),
                    "jwks_uri")).toURL();
        } catch (IOException | ParseException | RuntimeException e) {
            throw new KeySourceException("Could not read " + discovery + ": " + e.getMessage(), e);
        }
    }

    /** Nimbus's {@link ResourceRetriever}, on the service's HTTP client. */
    private Resource read(URL url) throws IOException {
        try {
            ResponseEntity<String> response = http.get().uri(url.toURI()).retrieve().toEntity(String.class);
            String contentType = response.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
            return new Resource(response.getBody() == null ? "" : response.getBody(), contentType);
        } catch (RestClientException | URISyntaxException e) {
            throw new IOException("Could not read " + url + ": " + e.getMessage(), e);
        }
    }
}
