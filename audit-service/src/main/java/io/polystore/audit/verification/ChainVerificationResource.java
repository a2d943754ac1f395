package io.polystore.audit.verification;

import io.polystore.servicedefaults.problem.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Min;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** On-demand verification of the chain, for auditors and administrators only. */
@RestController
@RequestMapping("/audit")
@PreAuthorize("hasAnyRole('AUDITOR', 'ADMIN')")
@Tag(name = "Audit trail")
public class ChainVerificationResource {

    private final ChainVerifier verifier;

    public ChainVerificationResource(ChainVerifier verifier) {
        this.verifier = verifier;
    }

    @GetMapping("/verify")
    @Operation(operationId = "verifyChain", summary = "Recompute the chain and its checkpoints between two positions",
            description = "Answers 200 with status INTACT, or BROKEN and the first broken link: its position, the "
                    + "problem and what differs. Without from and to, the whole retained chain is verified.")
    public VerificationReport verify(
            @Parameter(description = "first position, default the start of the retained chain")
            @RequestParam(required = false) @Min(1) Long from,
            @Parameter(description = "last position, default the head") @RequestParam(required = false) @Min(1) Long to) {
        if (from != null && to != null && to < from) {
            throw new InvalidInputException("to", "must not be less than from");
        }
        if (from != null && from > verifier.headPosition()) {
            throw new InvalidInputException("from", "is beyond the head of the chain, position " + verifier.headPosition());
        }
        return from == null && to == null ? verifier.verifyAll() : verifier.verify(from, to);
    }
}
