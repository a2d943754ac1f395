package io.polystore.testkit.backup.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A root user's calls to a SurrealDB server over HTTP: RPC queries whose variables are raw CBOR items, and the
 * server's {@code GET /export} and {@code POST /import}. Signs in once and sends the token, as the server checks a
 * password with Argon2 on every request; signs in again when the token has expired.
 */
public final class SurrealRpc {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI url;
    private final String username;
    private final String password;
    private volatile String token;

    public SurrealRpc(String url, String username, String password) {
        this.url = URI.create(url.endsWith("/") ? url : url + "/");
        this.username = username;
        this.password = password;
    }

    /**
     * Runs SurrealQL in a database and returns each statement's result.
     *
     * @param namespace the namespace, or null to run at the root
     * @param database  the database, or null to run in the namespace
     * @param variables raw CBOR items by name
     * @throws IllegalStateException when a statement failed, naming it and the reason
     */
    public List<RawCbor.Item> query(String namespace, String database, String sql, Map<String, byte[]> variables) {
        RawCbor.Writer vars = new RawCbor.Writer().map(variables.size());
        variables.forEach((name, value) -> vars.text(name).raw(value));
        byte[] request = new RawCbor.Writer().map(2).text("method").text("query")
                .text("params").array(2).text(sql).raw(vars.toBytes()).toBytes();
        RawCbor.Item answer = rpc(namespace, database, request, false, true);
        List<RawCbor.Item> results = new ArrayList<>();
        for (RawCbor.Item statement : answer.elements()) {
            Map<String, RawCbor.Item> entries = statement.entries();
            if (!"OK".equals(entries.get("status").text())) {
                RawCbor.Item reason = entries.get("result");
                throw new IllegalStateException("SurrealQL failed in " + namespace + "/" + database + ": "
                        + (reason.untagged().isText() ? reason.text() : "(no message)") + " in: " + sql);
            }
            results.add(entries.get("result"));
        }
        return results;
    }

    /** The server's own SurrealQL export of a database. */
    public byte[] export(String namespace, String database) {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(url.resolve("export")).GET(), namespace, database);
        return response.body();
    }

    /** Runs a SurrealQL script (an export) in a database, as the server's {@code POST /import}. */
    public void importScript(String namespace, String database, byte[] script) {
        send(HttpRequest.newBuilder(url.resolve("import")).POST(HttpRequest.BodyPublishers.ofByteArray(script)),
                namespace, database);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder builder, String namespace, String database) {
        HttpRequest request = builder.timeout(TIMEOUT).header("Surreal-NS", namespace).header("Surreal-DB", database)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (username + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .build();
        HttpResponse<byte[]> response = exchange(request);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " for " + namespace + "/"
                    + database + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response;
    }

    private RawCbor.Item rpc(String namespace, String database, byte[] body, boolean signin, boolean retryOnExpiry) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url.resolve("rpc")).timeout(TIMEOUT)
                .header("Content-Type", "application/cbor").header("Accept", "application/cbor")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (namespace != null) {
            builder.header("Surreal-NS", namespace);
        }
        if (database != null) {
            builder.header("Surreal-DB", database);
        }
        if (!signin) {
            builder.header("Authorization", "Bearer " + token());
        }
        HttpResponse<byte[]> response = exchange(builder.build());
        if (response.statusCode() == 401 && retryOnExpiry && !signin) {
            token = null;
            return rpc(namespace, database, body, false, false);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("SurrealDB at " + url + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        Map<String, RawCbor.Item> envelope = RawCbor.Item.of(response.body()).entries();
        if (envelope.containsKey("error")) {
            RawCbor.Item message = envelope.get("error").get("message");
            throw new IllegalStateException("SurrealDB at " + url + " refused the request: "
                    + (message == null ? "(no message)" : message.text()));
        }
        return envelope.get("result");
    }

    private String token() {
        String current = token;
        if (current == null) {
            byte[] request = new RawCbor.Writer().map(2).text("method").text("signin").text("params").array(1)
                    .map(2).text("user").text(username).text("pass").text(password).toBytes();
            current = rpc(null, null, request, true, false).text();
            token = current;
        }
        return current;
    }

    private HttpResponse<byte[]> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot reach SurrealDB at " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling SurrealDB at " + url, e);
        }
    }
}
