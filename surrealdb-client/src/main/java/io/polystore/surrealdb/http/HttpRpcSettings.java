package io.polystore.surrealdb.http;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how {@link HttpRpcTransport} connects.
 *
 * @param url                   the server's base URL, e.g. {@code http://localhost:8000}; requests go to {@code <url>/rpc}
 * @param namespace             the namespace every call runs in
 * @param database              the database every call runs in
 * @param username              the user to sign in as
 * @param password              its password
 * @param authNamespace         the namespace the user is defined on, or null for a root user
 * @param authDatabase          the database the user is defined on, or null for a root or namespace user
 * @param connectTimeout        how long to wait for a TCP connection
 * @param requestTimeout        how long to wait for a free connection slot and then for the response
 * @param maxConcurrentRequests how many requests may be in flight at once (each holds one pooled connection)
 * @param sslContext            whom to trust for an {@code https} URL, or null for the JVM's default trust store
 */
public record HttpRpcSettings(URI url, String namespace, String database, String username, String password,
                              String authNamespace, String authDatabase, Duration connectTimeout,
                              Duration requestTimeout, int maxConcurrentRequests, SSLContext sslContext) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 64;

    public HttpRpcSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("The SurrealDB URL must be http:// or https://, not " + url);
        }
        if (authDatabase != null && authNamespace == null) {
            throw new IllegalArgumentException("A database user needs its namespace too (authNamespace)");
        }
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("maxConcurrentRequests must be at least 1");
        }
    }

    /** A root user, with the default timeouts and concurrency. */
    public static HttpRpcSettings of(URI url, String namespace, String database, String username, String password) {
        return new HttpRpcSettings(url, namespace, database, username, password, null, null,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_CONCURRENT_REQUESTS, null);
    }

    public HttpRpcSettings withTimeouts(Duration connect, Duration request) {
        return new HttpRpcSettings(url, namespace, database, username, password, authNamespace, authDatabase,
                connect, request, maxConcurrentRequests, sslContext);
    }

    public HttpRpcSettings withMaxConcurrentRequests(int max) {
        return new HttpRpcSettings(url, namespace, database, username, password, authNamespace, authDatabase,
                connectTimeout, requestTimeout, max, sslContext);
    }

    /** Signs in as a user defined on a namespace ({@code database} null) or on a database, instead of root. */
    public HttpRpcSettings withUserOn(String userNamespace, String userDatabase) {
        return new HttpRpcSettings(url, namespace, database, username, password, userNamespace, userDatabase,
                connectTimeout, requestTimeout, maxConcurrentRequests, sslContext);
    }

    /** The same server and user, another database. */
    public HttpRpcSettings withDatabase(String otherDatabase) {
        return new HttpRpcSettings(url, namespace, otherDatabase, username, password, authNamespace, authDatabase,
                connectTimeout, requestTimeout, maxConcurrentRequests, sslContext);
    }

    /** The same server, another user (defined where {@link #withUserOn} says; root unless it is called). */
    public HttpRpcSettings withCredentials(String otherUsername, String otherPassword) {
        return new HttpRpcSettings(url, namespace, database, otherUsername, otherPassword, null, null,
                connectTimeout, requestTimeout, maxConcurrentRequests, sslContext);
    }

    /** Trusts what {@code context} trusts for an {@code https} URL, instead of the JVM's default trust store. */
    public HttpRpcSettings withSslContext(SSLContext context) {
        return new HttpRpcSettings(url, namespace, database, username, password, authNamespace, authDatabase,
                connectTimeout, requestTimeout, maxConcurrentRequests, context);
    }

    URI rpcEndpoint() {
        String base = url.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "rpc");
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "HttpRpcSettings[url=" + url + ", namespace=" + namespace + ", database=" + database
                + ", username=" + username + ", authNamespace=" + authNamespace + ", authDatabase=" + authDatabase
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", maxConcurrentRequests=" + maxConcurrentRequests + ", sslContext=" + (sslContext == null ? "default" : "own") + "]";
    }
}
