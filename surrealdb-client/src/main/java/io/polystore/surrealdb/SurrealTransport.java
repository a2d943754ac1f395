package io.polystore.surrealdb;

import java.util.List;

/**
 * How {@link SurrealClient} reaches SurrealDB: one RPC call at a time, signed in, with Java values in and out
 * (mapped as {@link io.polystore.surrealdb.cbor.SurrealCbor} describes). {@link io.polystore.surrealdb.http.HttpRpcTransport}
 * speaks HTTP RPC in CBOR; a transport on the official SurrealDB Java SDK or on WebSocket RPC can replace it
 * without changing the client's users.
 * <p>
 * Implementations are thread-safe, sign in themselves and keep their credentials valid, and throw
 * {@link SurrealRpcException} for an RPC error, {@link SurrealAuthenticationException} for refused credentials,
 * {@link SurrealTimeoutException} and {@link SurrealTransportException} when no answer arrives.
 */
public interface SurrealTransport extends AutoCloseable {

    /** Calls {@code method} with {@code params} in the transport's namespace and database, and returns its result. */
    Object call(String method, List<?> params);

    /** Calls {@code method} with no namespace or database selected, e.g. to define them. */
    Object callWithoutDatabase(String method, List<?> params);

    /** Where the transport connects, for messages: a URL, never credentials. */
    String address();

    @Override
    void close();
}
