package io.polystore.audit.ingest;

import io.polystore.events.EventDecodingException;

/**
 * A well-formed event that the trail cannot take: not an audit event, or a value PostgreSQL cannot store. Like any
 * undecodable record it goes to the dead-letter topic at once, because retrying cannot change it and it must not
 * hold up the records behind it.
 */
class UnacceptableAuditEventException extends EventDecodingException {

    UnacceptableAuditEventException(String message) {
        super(message);
    }
}
