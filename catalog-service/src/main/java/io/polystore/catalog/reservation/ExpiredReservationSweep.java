package io.polystore.catalog.reservation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Releases reservations that were neither confirmed nor released before they expired, every
 * {@code polystore.catalog.reservations.sweep-interval}. Safe on several instances at once: each release re-checks
 * the reservation's status in its transaction.
 */
@Component
class ExpiredReservationSweep {

    private static final Logger log = LoggerFactory.getLogger(ExpiredReservationSweep.class);

    private final StockReservations reservations;

    ExpiredReservationSweep(StockReservations reservations) {
        this.reservations = reservations;
    }

    @Scheduled(fixedDelayString = "${polystore.catalog.reservations.sweep-interval:30s}",
            initialDelayString = "${polystore.catalog.reservations.sweep-interval:30s}")
    void sweep() {
        try {
            reservations.releaseExpired();
        } catch (RuntimeException e) {
            log.warn("Releasing expired reservations failed; the next sweep tries again", e);
        }
    }
}
