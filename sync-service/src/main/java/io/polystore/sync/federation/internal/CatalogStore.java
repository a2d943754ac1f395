package io.polystore.sync.federation.internal;

import io.polystore.surrealdb.SurrealClient;

import java.time.Duration;

/**
 * The catalog's SurrealDB database as the federation reads it: a client signed in as the read-only user, and the
 * time limit every statement carries ({@code TIMEOUT}), so that SurrealDB itself stops work past the limit.
 */
record CatalogStore(SurrealClient client, Duration timeLimit) {
}
