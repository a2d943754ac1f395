package io.polystore.audit.chain;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Signs the head at least every {@code polystore.audit.checkpoints.every}, so a quiet trail's tail is covered too. */
@Component
class CheckpointScheduler {

    private final AuditTrail trail;

    CheckpointScheduler(AuditTrail trail) {
        this.trail = trail;
    }

    @Scheduled(fixedDelayString = "${polystore.audit.checkpoints.every:30s}",
            initialDelayString = "${polystore.audit.checkpoints.every:30s}")
    void checkpointUnsignedRecords() {
        trail.checkpoint();
    }
}
