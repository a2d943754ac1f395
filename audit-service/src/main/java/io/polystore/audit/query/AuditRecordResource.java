package io.polystore.audit.query;

import io.polystore.audit.chain.AuditAction;
import io.polystore.audit.chain.ChainRecord;
import io.polystore.servicedefaults.problem.InvalidInputException;
import io.polystore.servicedefaults.web.CursorCodec;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Search and export of the trail, for auditors and administrators only. Each search and export is itself recorded
 * in the trail first, as a read of personal data.
 */
@RestController
@RequestMapping("/audit")
@PreAuthorize("hasAnyRole('AUDITOR', 'ADMIN')")
@Tag(name = "Audit trail", description = "Search, export and verify the tamper-evident audit trail (AUDITOR, ADMIN)")
public class AuditRecordResource {

    public static final String NDJSON = "application/x-ndjson";

    /**
     * The position of the last record returned. Positions never change and new records only come after the head, so
     * paging is stable while the trail grows.
     */
    private static final CursorCodec<Long> CURSORS = CursorCodec.of("audit records",
            position -> List.of(Long.toString(position)), values -> Long.parseLong(values.getFirst()));

    private final AuditRecordReader reader;
    private final AuditorReads auditorReads;
    private final JsonMapper json;

    AuditRecordResource(AuditRecordReader reader, AuditorReads auditorReads, JsonMapper json) {
        this.reader = reader;
        this.auditorReads = auditorReads;
        this.json = json;
    }

    @GetMapping("/records")
    @Operation(operationId = "searchRecords", summary = "Search records, oldest first, one page at a time",
            description = "All given criteria must match. Personal data is decrypted for the reader. Pass the "
                    + "returned nextCursor as cursor for the next page; the pages stay stable while the trail grows.")
    public RecordPage records(
            @Parameter(description = "who acted: the JWT subject") @RequestParam(required = false) String actor,
            @Parameter(description = "whom or what it concerns: principal, customer id or order id")
            @RequestParam(required = false) String subject,
            @Parameter(description = "what happened", schema = @Schema(implementation = AuditAction.class))
            @RequestParam(required = false) String action,
            @Parameter(description = "happened at or after (ISO-8601)") @RequestParam(required = false) Instant from,
            @Parameter(description = "happened before (ISO-8601)") @RequestParam(required = false) Instant to,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @RequestParam(required = false) String cursor,
            Authentication auditor, HttpServletRequest request) {
        requireNotBlank("actor", actor);
        requireNotBlank("subject", subject);
        if (action != null && Arrays.stream(AuditAction.values()).noneMatch(known -> known.name().equals(action))) {
            throw new InvalidInputException("action", "must be one of " + Arrays.toString(AuditAction.values()));
        }
        requireOrdered(from, to);
        long after = cursor == null ? 0 : CURSORS.decode(cursor);
        auditorReads.record(auditor, request, subject != null ? subject : actor, criteria(
                "actor", actor, "subject", subject, "action", action, "from", from, "to", to, "cursor", cursor));
        List<ChainRecord> found = reader.search(new AuditRecordReader.Criteria(actor, subject, action, from, to),
                after, limit + 1);
        boolean more = found.size() > limit;
        List<ChainRecord> page = more ? found.subList(0, limit) : found;
        return new RecordPage(page.stream().map(record -> reader.view(record, false)).toList(),
                more ? CURSORS.encode(page.getLast().position()) : null);
    }

    @GetMapping(value = "/export", produces = NDJSON)
    @Operation(operationId = "exportRecords", summary = "Export records as NDJSON, streamed in chain order",
            description = "One JSON record per line, decrypted, with the stored form and hashes, so that the chain "
                    + "can be recomputed from the export alone.")
    @ApiResponse(responseCode = "200",
            description = "The records, one JSON object (an AuditRecordView with stored) per line",
            content = @Content(mediaType = NDJSON, schema = @Schema(type = "string")))
    public ResponseEntity<StreamingResponseBody> export(
            @Parameter(description = "happened at or after (ISO-8601)") @RequestParam(required = false) Instant from,
            @Parameter(description = "happened before (ISO-8601)") @RequestParam(required = false) Instant to,
            Authentication auditor, HttpServletRequest request) {
        requireOrdered(from, to);
        auditorReads.record(auditor, request, null, criteria("from", from, "to", to));
        StreamingResponseBody body = out -> reader.stream(from, to, record -> writeLine(out, record));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(NDJSON))
                .header("Content-Disposition", "attachment; filename=\"audit-export.ndjson\"")
                .body(body);
    }

    private void writeLine(OutputStream out, ChainRecord record) {
        try {
            out.write(json.writeValueAsBytes(reader.view(record, true)));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the criteria given. */
    private static List<String> criteria(Object... namesAndValues) {
        List<String> given = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                given.add((String) namesAndValues[i]);
            }
        }
        return given;
    }

    private static void requireNotBlank(String parameter, String value) {
        if (value != null && value.isBlank()) {
            throw new InvalidInputException(parameter, "must not be blank");
        }
    }

    private static void requireOrdered(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidInputException("to", "must be after from");
        }
    }
}
