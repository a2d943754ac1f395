package io.polystore.surrealdb.migration;

import io.polystore.surrealdb.SurrealException;

/** The schema could not be brought up to date: a migration failed, was edited after being applied, or is missing. */
public class SchemaMigrationException extends SurrealException {

    public SchemaMigrationException(String message) {
        super(message);
    }

    public SchemaMigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
