package io.polystore.testkit;

/** Where a SurrealDB server answers HTTP RPC, and its root credentials. */
public record SurrealDbEndpoint(String url, String username, String password) {
}
