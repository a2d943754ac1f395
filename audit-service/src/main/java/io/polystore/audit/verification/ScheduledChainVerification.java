package io.polystore.audit.verification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Verifies the whole chain in the background, so a broken link raises an alert without anyone asking. */
@Component
class ScheduledChainVerification {

    private static final Logger log = LoggerFactory.getLogger(ScheduledChainVerification.class);

    private final ChainVerifier verifier;

    ScheduledChainVerification(ChainVerifier verifier) {
        this.verifier = verifier;
    }

    @Scheduled(fixedDelayString = "${polystore.audit.verification.every:1h}",
            initialDelayString = "${polystore.audit.verification.initial-delay:1m}")
    void verifyWholeChain() {
        VerificationReport report = verifier.verifyAll();
        if (report.intact()) {
            log.info("Audit chain intact: {} records from position {} to {} verified in {} ms", report.recordsChecked(),
                    report.from(), report.to(), report.durationMillis());
        } else {
            log.error("Audit chain BROKEN at position {}: {} ({})", report.firstBreak().position(),
                    report.firstBreak().problem(), report.firstBreak().detail());
        }
    }
}
