package io.polystore.sync.reconciliation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.List;
import java.util.UUID;

@RestController
@RequestMapping("/reconciliation/runs")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "Reconciliation", description = "Orders (order-service) against reservations (catalog-service). ADMIN only.")
class ReconciliationResource {

    private final Reconciliation reconciliation;

    ReconciliationResource(Reconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "runReconciliation", summary = "Run a reconciliation now",
            description = "Synchronous. A dry run unless the body says {\"repair\": true}: then the compensating "
                    + "commands are published, otherwise only listed.")
    ResponseEntity<ReconciliationRun> run(@RequestBody(required = false) RunReconciliationRequest request) {
        ReconciliationRun run = reconciliation.run(request != null && request.repairs());
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/reconciliation/runs/{id}").buildAndExpand(run.id()).toUri()).body(run);
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getReconciliationRun", summary = "A run and the drift it found")
    ReconciliationRun get(@PathVariable UUID id) {
        return reconciliation.find(id).orElseThrow(() -> new RunNotFoundException(id));
    }

    @GetMapping
    @Operation(operationId = "listReconciliationRuns", summary = "The newest runs first")
    List<ReconciliationRun> recent(@RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        return reconciliation.recent(limit);
    }
}
