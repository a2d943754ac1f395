package io.polystore.sync.relay;

import io.micrometer.core.instrument.Gauge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Runs a {@link Relay} on at most one replica: the one holding a session-level PostgreSQL advisory lock named after
 * the source, on a connection of its own to sync-service's database. When the holder dies, PostgreSQL ends its
 * session and frees the lock, and a standby, which tries every {@code retry-interval}, takes over. The holder checks
 * its lock session every {@code check-interval} and stops relaying when it is gone, so that two replicas never
 * relay for long at once (for PostgreSQL the replication slot admits only one reader anyway).
 */
public final class ExclusiveRelayRunner implements SmartLifecycle {

    /**
     * STANDBY: another replica holds the lock. ACTIVE: holds it and relays. FAILING: the lock database, the source
     * or Kafka failed; it retries and is ACTIVE again once the relay shows that its stores work.
     */
    public enum State { STOPPED, STANDBY, ACTIVE, FAILING }

    private static final Logger log = LoggerFactory.getLogger(ExclusiveRelayRunner.class);

    private final Relay relay;
    private final LockDatabase database;
    private final Duration retryInterval;
    private final Duration checkInterval;
    private final RelayMetrics metrics;
    private volatile State state = State.STOPPED;
    private volatile boolean running;
    private volatile int lockSessionPid;
    private Thread thread;

    /** Where the lock lives: sync-service's own database. */
    public record LockDatabase(String jdbcUrl, String username, String password) {
    }

    public ExclusiveRelayRunner(Relay relay, LockDatabase database, Duration retryInterval, Duration checkInterval,
                                RelayMetrics metrics) {
        this.relay = relay;
        this.database = database;
        this.retryInterval = retryInterval;
        this.checkInterval = checkInterval;
        this.metrics = metrics;
        Gauge.builder("polystore.sync.relay.active", this, runner -> runner.state == State.ACTIVE ? 1 : 0)
                .description("1 on the replica that relays the source, 0 on standbys and while it fails")
                .tag("source", relay.source())
                .register(metrics.registry());
        metrics.register(relay.source());
    }

    public State state() {
        return state;
    }

    public String source() {
        return relay.source();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        state = State.STANDBY;
        thread = Thread.ofPlatform().name("relay-" + relay.source()).start(this::loop);
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        relay.stop();
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = State.STOPPED;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The backend process id of the lock session, for operators (and tests) who need to end it. */
    public int lockSessionPid() {
        return lockSessionPid;
    }

    private void loop() {
        while (running) {
            try (Connection connection = connect()) {
                lockSessionPid = backendPid(connection);
                while (running) {
                    if (tryLock(connection)) {
                        lead(connection);
                        if (!connection.isValid(5)) {
                            break;
                        }
                        unlock(connection);
                        state = state == State.ACTIVE ? State.STANDBY : state;
                    } else {
                        // Another replica relays; whether this one failed before no longer matters.
                        state = State.STANDBY;
                    }
                    if (running) {
                        pause();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    state = State.FAILING;
                    metrics.error(relay.source());
                    log.warn("Relay {}: lock database unavailable ({}), retrying in {}", relay.source(), e.getMessage(), retryInterval);
                    pause();
                }
            } finally {
                lockSessionPid = 0;
            }
        }
    }

    private void lead(Connection connection) throws SQLException {
        log.info("Relay {}: this replica holds the lock and relays", relay.source());
        // After a failure the relay stays FAILING until it shows that its stores work again.
        state = state == State.FAILING ? State.FAILING : State.ACTIVE;
        Throwable[] failure = new Throwable[1];
        Thread worker = Thread.ofPlatform().name("relay-" + relay.source() + "-worker").start(() -> {
            try {
                relay.run(this::working);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        try {
            while (running && worker.isAlive()) {
                worker.join(checkInterval);
                if (worker.isAlive() && !connection.isValid(5)) {
                    log.warn("Relay {}: lock session lost, stopping to relay", relay.source());
                    break;
                }
            }
        } catch (InterruptedException e) {
            // stop() interrupts: stop the relay below.
        } finally {
            relay.stop();
            joinQuietly(worker);
        }
        if (failure[0] != null && running) {
            state = State.FAILING;
            metrics.error(relay.source());
            log.warn("Relay {} failed, giving up the lock and retrying in {}", relay.source(), retryInterval, failure[0]);
        }
    }

    private void working() {
        if (running && state == State.FAILING) {
            log.info("Relay {}: relaying again", relay.source());
            state = State.ACTIVE;
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", database.username());
        if (database.password() != null) {
            properties.setProperty("password", database.password());
        }
        // A dead peer must end the session, and with it the lock, also when the network fails silently.
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "sync-service relay lock " + relay.source());
        Connection connection = DriverManager.getConnection(database.jdbcUrl(), properties);
        connection.setAutoCommit(true);
        return connection;
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_backend_pid()");
             ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getInt(1);
        }
    }

    private boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
            statement.setString(1, lockName());
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private void unlock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(hashtextextended(?, 0))")) {
            statement.setString(1, lockName());
            statement.execute();
        }
    }

    private String lockName() {
        return "polystore.sync.relay." + relay.source();
    }

    private void pause() {
        try {
            Thread.sleep(retryInterval);
        } catch (InterruptedException e) {
            // stop() interrupts the pause; the loop sees running == false.
        }
    }

    private static void joinQuietly(Thread worker) {
        try {
            worker.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            worker.interrupt();
        }
    }
}
