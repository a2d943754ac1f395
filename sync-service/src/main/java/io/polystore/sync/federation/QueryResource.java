package io.polystore.sync.federation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;

@RestController
@RequestMapping("/query")
@PreAuthorize("hasAnyRole('ADMIN', 'AUDITOR')")
@Tag(name = "Federated query", description = "Ad-hoc read-only SQL over the schemas orders (PostgreSQL) and catalog "
        + "(SurrealDB). ADMIN and AUDITOR. Every query is audited with its text and caller.")
class QueryResource {

    private final FederatedQueries queries;

    QueryResource(FederatedQueries queries) {
        this.queries = queries;
    }

    @PostMapping
    @Operation(operationId = "runQuery", summary = "Run one SELECT",
            description = "Exactly one SELECT (or WITH ... SELECT, or EXPLAIN PLAN FOR one); anything else is refused "
                    + "with 400 before it runs, as are unknown tables and columns. More rows than the cap, or a run "
                    + "past the time limit, is 422 and its work in both stores is cancelled.")
    @ApiResponse(responseCode = "200", description = "The columns, the rows and how fresh each source was")
    @ApiResponse(responseCode = "422", description = "More rows than the cap, or past the time limit; limit says which")
    QueryAnswer run(@Valid @RequestBody QueryRequest request, Authentication caller) {
        return queries.run(request.sql(),
                request.timeLimitMillis() == null ? null : Duration.ofMillis(request.timeLimitMillis()), caller.getName());
    }
}
