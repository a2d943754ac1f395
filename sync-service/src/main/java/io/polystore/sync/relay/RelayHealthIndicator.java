package io.polystore.sync.relay;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * One relay's health: DOWN from its first failure (its source, Kafka or the lock database unreachable) until it
 * relays again; UP while it relays or is a standby. The relays together are the {@code relays} component of the
 * readiness group, so that a replica that cannot relay says so.
 */
public final class RelayHealthIndicator implements HealthIndicator {

    private final ExclusiveRelayRunner runner;

    public RelayHealthIndicator(ExclusiveRelayRunner runner) {
        this.runner = runner;
    }

    @Override
    public Health health() {
        ExclusiveRelayRunner.State state = runner.state();
        return (state == ExclusiveRelayRunner.State.FAILING ? Health.down() : Health.up()).withDetail("state", state).build();
    }
}
