package io.polystore.surrealdb.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.polystore.surrealdb.SurrealAuthenticationException;
import io.polystore.surrealdb.SurrealRpcException;
import io.polystore.surrealdb.SurrealTimeoutException;
import io.polystore.surrealdb.SurrealTransport;
import io.polystore.surrealdb.SurrealTransportException;
import io.polystore.surrealdb.cbor.SurrealCbor;
import io.polystore.surrealdb.cbor.SurrealCborException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * SurrealDB's HTTP RPC ({@code POST /rpc}) in CBOR, over the JDK's HTTP client, which keeps connections alive and
 * reuses them. It signs in once with the RPC method {@code signin} and sends the token as {@code Authorization: Bearer}
 * (the server checks a Basic password with Argon2 on every request, 20-30 ms each), renews the token before it
 * expires, and signs in again if the server refuses the token. Every RPC exchange, sign-in included, is timed as
 * {@code surrealdb.rpc} with the tags {@code method} and {@code outcome}.
 */
public final class HttpRpcTransport implements SurrealTransport {

    /** The timer of every RPC exchange. */
    public static final String TIMER = "surrealdb.rpc";

    private static final String CBOR = "application/cbor";
    private static final int MAX_ERROR_BODY_CHARS = 300;

    private final HttpRpcSettings settings;
    private final URI endpoint;
    private final HttpClient http;
    private final Semaphore slots;
    private final MeterRegistry meters;
    private final BearerToken token;

    public HttpRpcTransport(HttpRpcSettings settings, MeterRegistry meters) {
        this(settings, meters, Clock.systemUTC());
    }

    HttpRpcTransport(HttpRpcSettings settings, MeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.endpoint = settings.rpcEndpoint();
        this.meters = meters;
        this.slots = new Semaphore(settings.maxConcurrentRequests(), true);
        // HTTP/1.1: SurrealDB's HTTP RPC needs no HTTP/2, and the JDK would otherwise try an h2c upgrade on each connection.
        // The client's own steps run where they arise (the caller's thread, the client's selector thread) instead of
        // being handed to a pool: a third less CPU per call. Safe because every call is a blocking send whose body is
        // collected into an array, so no step waits on anything.
        HttpClient.Builder http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Runnable::run)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.sslContext() != null) {
            http.sslContext(settings.sslContext());
        }
        this.http = http.build();
        this.token = new BearerToken(this::signIn, clock);
    }

    @Override
    public Object call(String method, List<?> params) {
        return callSignedIn(method, params, true);
    }

    @Override
    public Object callWithoutDatabase(String method, List<?> params) {
        return callSignedIn(method, params, false);
    }

    @Override
    public String address() {
        return settings.url().toString();
    }

    @Override
    public void close() {
        http.close();
    }

    private Object callSignedIn(String method, List<?> params, boolean selectDatabase) {
        String bearer = token.current();
        try {
            return exchange(method, params, bearer, selectDatabase);
        } catch (TokenRefused refused) {
            // The token expired early or the server no longer knows it (restarted, user redefined): sign in again, once.
            token.invalidate(bearer);
            try {
                return exchange(method, params, token.current(), selectDatabase);
            } catch (TokenRefused again) {
                throw new SurrealAuthenticationException("SurrealDB at " + address() + " refused a fresh token for user '"
                        + settings.username() + "': " + again.getMessage());
            }
        }
    }

    /** Signs in and returns the token; called by {@link BearerToken} when it has none or it is due for renewal. */
    private String signIn() {
        Map<String, Object> credentials = new LinkedHashMap<>();
        if (settings.authNamespace() != null) {
            credentials.put("ns", settings.authNamespace());
        }
        if (settings.authDatabase() != null) {
            credentials.put("db", settings.authDatabase());
        }
        credentials.put("user", settings.username());
        credentials.put("pass", settings.password());
        Object result;
        try {
            result = exchange("signin", List.of(credentials), null, false);
        } catch (TokenRefused | SurrealAuthenticationException refused) {
            throw new SurrealAuthenticationException("SurrealDB at " + address() + " refused the credentials of user '"
                    + settings.username() + "' (" + refused.getMessage() + ")");
        }
        return switch (result) {
            case String text -> text;
            // Newer servers may answer with an access token and a refresh token.
            case Map<?, ?> tokens when tokens.get("access") instanceof String access -> access;
            case Map<?, ?> tokens when tokens.get("token") instanceof String access -> access;
            default -> throw new SurrealTransportException("SurrealDB at " + address() + " answered signin without a token");
        };
    }

    private Object exchange(String method, List<?> params, String bearer, boolean selectDatabase) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "transport_error";
        try {
            Object result = send(method, params, bearer, selectDatabase);
            outcome = "success";
            return result;
        } catch (SurrealRpcException e) {
            outcome = "error";
            throw e;
        } catch (TokenRefused | SurrealAuthenticationException e) {
            outcome = "unauthorized";
            throw e;
        } catch (SurrealTimeoutException e) {
            outcome = "timeout";
            throw e;
        } finally {
            sample.stop(Timer.builder(TIMER)
                    .description("SurrealDB RPC exchanges")
                    .tag("method", method)
                    .tag("outcome", outcome)
                    .register(meters));
        }
    }

    private Object send(String method, List<?> params, String bearer, boolean selectDatabase) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("method", method);
        envelope.put("params", params);
        byte[] body = SurrealCbor.encode(envelope);

        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(settings.requestTimeout())
                .header("Content-Type", CBOR)
                .header("Accept", CBOR)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (selectDatabase) {
            request.header("Surreal-NS", settings.namespace()).header("Surreal-DB", settings.database());
        }
        HttpResponse<byte[]> response = sendWithinSlot(method, request.build());
        return interpret(method, response);
    }

    private HttpResponse<byte[]> sendWithinSlot(String method, HttpRequest request) {
        long timeoutNanos = settings.requestTimeout().toNanos();
        try {
            if (!slots.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw new SurrealTimeoutException("No free connection to SurrealDB at " + address() + " within "
                        + settings.requestTimeout() + " (all " + settings.maxConcurrentRequests() + " in use)", null);
            }
            try {
                try {
                    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    if (!closedBeforeAnswer(e)) {
                        throw e;
                    }
                    // A pooled keep-alive connection was closed as the request went out (by the server, or by the
                    // JDK's idle timer in a race with its reuse); nothing was answered, so send it once more.
                    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                }
            } finally {
                slots.release();
            }
        } catch (HttpConnectTimeoutException e) {
            // The JDK reports the request timeout as a connect timeout too when it runs out while connecting.
            throw new SurrealTimeoutException("Timed out connecting to SurrealDB at " + address() + " (connect timeout "
                    + settings.connectTimeout() + ", request timeout " + settings.requestTimeout() + ")", e);
        } catch (HttpTimeoutException e) {
            throw new SurrealTimeoutException("SurrealDB at " + address() + " did not answer RPC '" + method
                    + "' within " + settings.requestTimeout(), e);
        } catch (ConnectException e) {
            throw new SurrealTransportException("Cannot connect to SurrealDB at " + address() + ": "
                    + (e.getMessage() == null ? "connection refused" : e.getMessage()), e);
        } catch (IOException e) {
            throw new SurrealTransportException("RPC '" + method + "' to SurrealDB at " + address() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SurrealTransportException("Interrupted while calling SurrealDB at " + address(), e);
        }
    }

    /** The connection ended before a single byte of the answer arrived. */
    private static boolean closedBeforeAnswer(IOException e) {
        if (e instanceof HttpTimeoutException || e instanceof ConnectException) {
            return false;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("received no bytes")) {
                return true;
            }
        }
        return false;
    }

    private Object interpret(String method, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status == 401) {
            throw new TokenRefused(text(response.body()));
        }
        if (status != 200) {
            throw new SurrealTransportException("SurrealDB at " + address() + " answered RPC '" + method + "' with HTTP "
                    + status + ": " + text(response.body()));
        }
        Object decoded;
        try {
            decoded = SurrealCbor.decode(response.body());
        } catch (SurrealCborException e) {
            throw new SurrealTransportException("SurrealDB at " + address() + " sent an unreadable answer to RPC '"
                    + method + "': " + e.getMessage(), e);
        }
        if (!(decoded instanceof Map<?, ?> answer)) {
            throw new SurrealTransportException("SurrealDB at " + address() + " answered RPC '" + method
                    + "' with something that is not an RPC response");
        }
        if (answer.get("error") instanceof Map<?, ?> error) {
            long code = error.get("code") instanceof Number number ? number.longValue() : SurrealRpcException.INTERNAL_ERROR;
            String message = String.valueOf(error.get("message"));
            if (code == SurrealRpcException.NOT_AUTHENTICATED) {
                throw new SurrealAuthenticationException("SurrealDB at " + address() + " refused RPC '" + method + "': " + message);
            }
            throw new SurrealRpcException(method, code, error.get("kind") instanceof String kind ? kind : null, message);
        }
        return answer.get("result");
    }

    private static String text(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "(no body)";
        }
        return text.length() <= MAX_ERROR_BODY_CHARS ? text : text.substring(0, MAX_ERROR_BODY_CHARS) + "...";
    }

    /** HTTP 401: the credentials or the token were refused before anything ran, so a retry is safe. */
    private static final class TokenRefused extends RuntimeException {
        TokenRefused(String message) {
            super(message, null, false, false);
        }
    }
}
