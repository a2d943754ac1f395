package io.polystore.gateway.limits.internal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.gateway.limits.LimitsProperties;
import io.polystore.gateway.limits.internal.RateLimiter.Refusal;
import io.polystore.gateway.limits.internal.RateLimiter.Take;
import io.polystore.gateway.support.GatewayDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Buckets in a real PostgreSQL with the gateway's schema: what one statement takes from one bucket or two. */
class RateLimiterIT {

    private static DataSource dataSource;
    private static BucketTable table;

    @BeforeAll
    static void migrate() {
        dataSource = GatewayDatabase.migrated("gateway_rate_limits", "region-1");
        table = new BucketTable(JdbcClient.create(dataSource), new SimpleMeterRegistry());
    }

    @Test
    void takesFromBothBucketsAndNamesTheFirstEmptyOne() {
        RateLimiter clients = limiter("client", 3, Duration.ofHours(1));
        RateLimiter users = limiter("user", 2, Duration.ofHours(1));
        String client = "client-" + UUID.randomUUID();
        String alice = "alice-" + UUID.randomUUID();

        assertThat(RateLimiter.tryAcquire(List.of(new Take(clients, client), new Take(users, alice)))).isEmpty();
        assertThat(RateLimiter.tryAcquire(List.of(new Take(clients, client), new Take(users, alice)))).isEmpty();
        Optional<Refusal> aliceEmpty = RateLimiter.tryAcquire(List.of(new Take(clients, client), new Take(users, alice)));

        assertThat(aliceEmpty).get().extracting(Refusal::limit).isEqualTo("user");
        // One of two an hour: the next in half an hour.
        assertThat(aliceEmpty.get().retryAfter()).isBetween(Duration.ofMinutes(29), Duration.ofMinutes(30));
        // Alice's refused request spent the client's third token.
        Optional<Refusal> clientEmpty = RateLimiter.tryAcquire(
                List.of(new Take(clients, client), new Take(users, "bob-" + UUID.randomUUID())));
        assertThat(clientEmpty).get().extracting(Refusal::limit).isEqualTo("client");
        assertThat(tokens("user", alice)).isLessThan(1);
    }

    @Test
    void eachBucketRefillsAtItsOwnLimitsRate() throws InterruptedException {
        RateLimiter slow = limiter("slow", 1, Duration.ofHours(1));
        RateLimiter fast = limiter("fast", 2, Duration.ofSeconds(1));
        String caller = "caller-" + UUID.randomUUID();
        List<Take> both = List.of(new Take(fast, caller), new Take(slow, caller));
        assertThat(RateLimiter.tryAcquire(both)).isEmpty();
        assertThat(fast.tryAcquire(caller)).isEmpty();
        assertThat(fast.tryAcquire(caller)).get().satisfies(wait -> assertThat(wait).isBetween(Duration.ZERO, Duration.ofMillis(500)));

        Thread.sleep(600);

        // The fast bucket holds a token again; the slow one, refilled by the same statement, does not.
        assertThat(RateLimiter.tryAcquire(both)).get().extracting(Refusal::limit).isEqualTo("slow");
        assertThat(tokens("fast", caller)).isLessThan(1);
        assertThat(tokens("slow", caller)).isBetween(0.0, 0.01);
    }

    @Test
    void aNewBucketStartsFullAtItsLimitsCapacity() {
        RateLimiter limiter = limiter("new", 10, Duration.ofMinutes(1));
        String caller = "caller-" + UUID.randomUUID();

        assertThat(limiter.tryAcquire(caller)).isEmpty();

        assertThat(tokens("new", caller)).isEqualTo(9.0);
    }

    private static RateLimiter limiter(String name, long requests, Duration per) {
        return new RateLimiter(table, name, new LimitsProperties.RateLimit(requests, per), Clock.systemUTC());
    }

    private static double tokens(String limit, String caller) {
        return JdbcClient.create(dataSource).sql("SELECT tokens FROM rate_limit_bucket WHERE limit_name = ? AND caller = ?")
                .params(limit, caller).query(Double.class).single();
    }
}
