package io.polystore.sync.relay;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.List;

/**
 * DOWN while a relay fails (its source, Kafka or the lock database is unreachable) until it relays again; UP while
 * each relays or is a standby. In the readiness group, so that a replica that cannot relay says so.
 */
public final class RelayHealthIndicator implements HealthIndicator {

    private final List<ExclusiveRelayRunner> runners;

    public RelayHealthIndicator(List<ExclusiveRelayRunner> runners) {
        this.runners = runners;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        for (ExclusiveRelayRunner runner : runners) {
            ExclusiveRelayRunner.State state = runner.state();
            if (state == ExclusiveRelayRunner.State.FAILING) {
                health.down();
            }
            health.withDetail(runner.source(), state);
        }
        return health.build();
    }
}
