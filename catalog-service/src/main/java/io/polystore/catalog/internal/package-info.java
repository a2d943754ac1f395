/**
 * What the catalog's features share and nothing outside the service uses: optimistic SurrealDB transactions with
 * their retries, the codes its transactions throw, record keys, typed reads of rows, the change-fed outbox with its
 * clean-up, the request-size limit and the catalog's problem details.
 */
package io.polystore.catalog.internal;
