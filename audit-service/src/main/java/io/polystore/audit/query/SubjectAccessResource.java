package io.polystore.audit.query;

import io.polystore.audit.chain.ChainRecord;
import io.polystore.servicedefaults.web.CursorCodec;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Objects;

/**
 * The trail's records about one person, for their right of access (GDPR Art. 15 and 20): every record in which they
 * acted or which concerns them. The person themself (their own token, relayed by order-service's export) and
 * administrators may read them; auditors search with {@link AuditRecordResource}. What others did is shown without
 * who they were: when and why their data was used is the person's, the identity of the staff member who used it is
 * not (CJEU C-579/21), and neither is that staff member's address.
 */
@RestController
@Tag(name = "Audit trail", description = "Search, export and verify the tamper-evident audit trail (AUDITOR, ADMIN)")
public class SubjectAccessResource {

    private static final CursorCodec<Long> CURSORS = CursorCodec.of("records about a person",
            position -> List.of(Long.toString(position)), values -> Long.parseLong(values.getFirst()));

    private final AuditRecordReader reader;
    private final AuditorReads auditorReads;

    SubjectAccessResource(AuditRecordReader reader, AuditorReads auditorReads) {
        this.reader = reader;
        this.auditorReads = auditorReads;
    }

    @GetMapping("/audit/subjects/{person}/records")
    @PreAuthorize("hasRole('ADMIN') or (hasRole('CUSTOMER') and #person == authentication.name)")
    @Operation(operationId = "listRecordsAboutPerson", summary = "The records about one person, oldest first, for their access request",
            description = "Every record in which the person acted or which concerns them; others who acted appear "
                    + "without their identity. For the person themself and administrators; recorded in the trail.")
    public RecordPage records(@PathVariable String person,
                              @RequestParam(defaultValue = "1000") @Min(1) @Max(1000) int limit,
                              @RequestParam(required = false) String cursor,
                              Authentication reader, HttpServletRequest request) {
        long after = cursor == null ? 0 : CURSORS.decode(cursor);
        auditorReads.record(reader, request, person, cursor == null ? List.of("subject") : List.of("subject", "cursor"));
        List<ChainRecord> found = this.reader.about(person, after, limit + 1);
        boolean more = found.size() > limit;
        List<ChainRecord> page = more ? found.subList(0, limit) : found;
        return new RecordPage(page.stream().map(record -> asSeenBy(person, this.reader.view(record, false))).toList(),
                more ? CURSORS.encode(page.getLast().position()) : null);
    }

    /** Another person's identity and address are theirs, not the requester's: left out. */
    private static AuditRecordView asSeenBy(String person, AuditRecordView record) {
        if (record.actor() == null || Objects.equals(record.actor(), person)) {
            return record;
        }
        return new AuditRecordView(record.position(), record.eventId(), record.type(), record.source(),
                record.occurredAt(), record.recordedAt(), record.action(), null, record.subject(), null,
                record.details(), record.personalDataReadable(), record.previousHash(), record.recordHash(), null);
    }
}
