/**
 * What the catalog's features share and nothing outside the service uses: optimistic SurrealDB transactions with
 * their retries, record keys, the exceptions its problem facts map, and the change-fed outbox with its clean-up.
 */
package io.polystore.catalog.internal;
