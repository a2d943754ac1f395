package io.polystore.audit.query;

import io.polystore.audit.chain.AuditAction;
import io.polystore.audit.chain.AuditEntry;
import io.polystore.audit.chain.AuditTrail;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reading the trail reads personal data, so every search and export is itself appended to the trail before any
 * record is returned: who read (actor), whose data when the query names a person (subject), from where, and which
 * criteria were used (their names only: the values may be personal data and are in the encrypted subject).
 */
@Component
class AuditorReads {

    static final String EVENT_TYPE = "io.polystore.audit.AuditTrailRead";
    static final String SOURCE = "/audit-service";
    /** The subject of a read that names no person. */
    static final String WHOLE_TRAIL = "audit-trail";

    private final AuditTrail trail;
    private final Clock clock = Clock.systemUTC();

    AuditorReads(AuditTrail trail) {
        this.trail = trail;
    }

    void record(Authentication reader, HttpServletRequest request, String person, List<String> criteria) {
        Instant now = clock.instant();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("endpoint", request.getRequestURI());
        details.put("criteria", criteria);
        trail.append(List.of(new AuditEntry(UUID.randomUUID().toString(), EVENT_TYPE, SOURCE, now, now,
                AuditAction.PERSONAL_DATA_READ.name(), reader.getName(), person == null ? WHOLE_TRAIL : person,
                request.getRemoteAddr(), details)));
    }
}
