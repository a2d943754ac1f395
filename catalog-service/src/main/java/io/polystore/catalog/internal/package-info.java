/**
 * What the catalog's features share and nothing outside the service uses: optimistic SurrealDB transactions with
 * their retries, record keys, the exceptions its problem facts map, the change-fed outbox with its clean-up, the
 * replication versions of the global catalog's records, and the rule that only the catalog region changes them.
 */
package io.polystore.catalog.internal;
