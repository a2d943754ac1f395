package io.polystore.servicedefaults.tls;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * {@code polystore.tls.*}: TLS on every hop of a service from one Spring SSL bundle.
 *
 * @param bundle the SSL bundle ({@code spring.ssl.bundle.pem.<name>.*} or {@code .jks.<name>.*}) holding the
 *               service's certificate and key and the certificates it trusts; when set it is the default of
 *               {@code server.ssl.bundle} (HTTPS), {@code spring.http.clients.ssl.bundle} (calls to other services
 *               and the issuer's keys), {@code spring.kafka.ssl.bundle} and {@code polystore.surrealdb.ssl-bundle};
 *               empty (the default): no TLS from here
 */
@ConfigurationProperties("polystore.tls")
public record TlsProperties(String bundle) {

    /** The property's name, which the defaults read before any bean exists. */
    public static final String BUNDLE = "polystore.tls.bundle";

    /** The settings that {@link #bundle} is the default of. */
    public static final List<String> BUNDLE_USERS = List.of("server.ssl.bundle",
            "spring.http.clients.ssl.bundle", "spring.kafka.ssl.bundle", "polystore.surrealdb.ssl-bundle");
}
