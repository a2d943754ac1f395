package io.polystore.sync.postgres;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.embedded.Connect;
import io.polystore.sync.SyncProperties;
import io.polystore.sync.postgres.internal.OutboxChangeEvents;
import io.polystore.sync.relay.OutboxEntry;
import io.polystore.sync.relay.OutboxPublisher;
import io.polystore.sync.relay.Relay;
import org.apache.kafka.connect.source.SourceRecord;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Relays order-service's outbox from the PostgreSQL WAL with the Debezium embedded engine (pgoutput): each batch of
 * inserted rows is published in commit order, and only once Kafka has acknowledged it are its records marked
 * processed, so the offset (kept in a Kafka topic) and the replication slot's confirmed position never pass an
 * unpublished row. After a crash the rows since the last flushed offset are published again (at-least-once).
 * <p>
 * With a primary and standbys ({@code host} names several), each run reads from whichever is the primary then. The
 * slot is a fail-over slot (PostgreSQL 17, {@code slot.failover}), which a standby with {@code sync_replication_slots}
 * keeps in step, so that after a fail-over the relay goes on from its offset on the promoted standby. A slot that does
 * not hold the offset (a standby promoted before it held a usable copy, or an operator dropped it) makes the run
 * publish the outbox table again from a snapshot, as on the first start; the consumers' inboxes absorb the repeats.
 */
public final class PostgresOutboxRelay implements Relay {

    public static final String SOURCE = "postgres";

    private final SyncProperties.Postgres settings;
    private final Map<String, String> kafkaClient;
    private final short offsetReplicationFactor;
    private final OutboxChangeEvents changeEvents;
    private final OutboxPublisher publisher;
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile CountDownLatch finished;
    private volatile Throwable failure;
    private volatile Runnable working = () -> { };

    /**
     * @param kafkaClient             the Kafka client settings of Debezium's offset store: {@code bootstrap.servers}
     *                                and whatever the service's own clients use to reach the brokers (security
     *                                protocol, SASL, trust store)
     * @param offsetReplicationFactor replicas of the offset topic, when Debezium creates it
     */
    public PostgresOutboxRelay(SyncProperties.Postgres settings, Map<String, String> kafkaClient, short offsetReplicationFactor,
                               OutboxChangeEvents changeEvents, OutboxPublisher publisher) {
        this.settings = settings;
        this.kafkaClient = Map.copyOf(kafkaClient);
        this.offsetReplicationFactor = offsetReplicationFactor;
        this.changeEvents = changeEvents;
        this.publisher = publisher;
    }

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public void run(Runnable working) throws Exception {
        this.working = working;
        failure = null;
        finished = new CountDownLatch(1);
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties(primary()))
                .notifying(this::handleBatch)
                .using((success, message, error) -> {
                    if (!success) {
                        failure = error != null ? error : new IllegalStateException(message);
                    }
                    finished.countDown();
                })
                .using(new DebeziumEngine.ConnectorCallback() {
                    // Started means the offsets (Kafka) and the database were reachable.
                    @Override
                    public void taskStarted() {
                        working.run();
                    }
                })
                .build();
        engine.run();
        // The engine reports its end through the callback, which may come just after run() returned.
        finished.await(30, TimeUnit.SECONDS);
        if (failure != null) {
            throw new IllegalStateException("Debezium engine stopped: " + failure.getMessage(), failure);
        }
    }

    @Override
    public void stop() {
        DebeziumEngine<?> running = engine;
        if (running != null) {
            try {
                running.close();
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    private void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                             DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<OutboxEntry> entries = new ArrayList<>(records.size());
        for (RecordChangeEvent<SourceRecord> record : records) {
            changeEvents.toEntry(record.record()).ifPresent(entries::add);
        }
        publisher.publish(SOURCE, entries);
        for (RecordChangeEvent<SourceRecord> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
        working.run();
    }

    /**
     * The server that is the primary now: the only one when {@code host} names one, else the first that is not in
     * recovery.
     *
     * @throws IllegalStateException when none is (a fail-over under way); the runner tries again
     */
    SyncProperties.Postgres.Server primary() {
        List<SyncProperties.Postgres.Server> servers = settings.servers();
        if (servers.size() == 1) {
            return servers.getFirst();
        }
        Properties credentials = new Properties();
        credentials.setProperty("user", settings.username());
        credentials.setProperty("password", settings.password() == null ? "" : settings.password());
        credentials.setProperty("connectTimeout", "2");
        credentials.setProperty("sslmode", settings.sslMode());
        if (settings.hasRootCert()) {
            credentials.setProperty("sslrootcert", settings.sslRootCert());
        }
        List<String> why = new ArrayList<>();
        for (SyncProperties.Postgres.Server server : servers) {
            String url = "jdbc:postgresql://" + server.host() + ":" + server.port() + "/" + settings.database();
            try (Connection connection = DriverManager.getConnection(url, credentials);
                 ResultSet recovery = connection.createStatement().executeQuery("SELECT pg_is_in_recovery()")) {
                if (recovery.next() && !recovery.getBoolean(1)) {
                    return server;
                }
                why.add(server + " is a standby");
            } catch (SQLException e) {
                why.add(server + ": " + e.getMessage());
            }
        }
        throw new IllegalStateException("No primary among " + settings.host() + ": " + String.join("; ", why));
    }

    Properties engineProperties(SyncProperties.Postgres.Server primary) {
        Properties p = new Properties();
        // The engine hands its settings on to the offset store's Kafka clients.
        kafkaClient.forEach(p::setProperty);
        p.setProperty("name", "sync-service-postgres-outbox");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        p.setProperty("offset.storage.topic", settings.offsetTopic());
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", Short.toString(offsetReplicationFactor));
        p.setProperty("offset.flush.interval.ms", Long.toString(settings.offsetFlushInterval().toMillis()));
        // A row's own offset confirms only the transaction before it (its commit comes after it in the WAL), so the
        // slot would lag one transaction until the next change: heartbeats (skipped, as no outbox row) confirm it.
        p.setProperty("heartbeat.interval.ms", Long.toString(settings.heartbeatInterval().toMillis()));
        p.setProperty("database.hostname", primary.host());
        p.setProperty("database.port", Integer.toString(primary.port()));
        p.setProperty("database.dbname", settings.database());
        p.setProperty("database.user", settings.username());
        p.setProperty("database.password", settings.password() == null ? "" : settings.password());
        p.setProperty("database.sslmode", settings.sslMode());
        if (settings.hasRootCert()) {
            p.setProperty("database.sslrootcert", settings.sslRootCert());
        }
        p.setProperty("topic.prefix", "polystore-sync-" + settings.database());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", settings.slot());
        p.setProperty("publication.name", settings.publication());
        // Creates the publication for the outbox table alone if it is missing.
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", settings.table());
        // Rows written before the slot existed are relayed once, oldest first; later starts resume from the offset.
        // When the slot does not hold the offset (gone with a fail-over before the standby held a usable copy,
        // dropped, or created anew after it), the rows are relayed again from a snapshot: with "initial" Debezium
        // refuses to start, and a new slot alone would skip what was committed before it.
        p.setProperty("snapshot.mode", "when_needed");
        p.setProperty("snapshot.select.statement.overrides", settings.table());
        p.setProperty("snapshot.select.statement.overrides." + settings.table(),
                "SELECT * FROM " + settings.table() + " ORDER BY wal_lsn");
        p.setProperty("poll.interval.ms", Long.toString(settings.pollInterval().toMillis()));
        p.setProperty("skipped.operations", "u,d,t");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("slot.drop.on.stop", "false");
        // Created as a fail-over slot, which standbys with sync_replication_slots keep in step (PostgreSQL 17).
        p.setProperty("slot.failover", "true");
        // The slot is busy for a moment after a fail-over, until PostgreSQL notices the old reader is gone.
        p.setProperty("slot.max.retries", "30");
        p.setProperty("slot.retry.delay.ms", "1000");
        p.setProperty("errors.max.retries", "0");
        return p;
    }
}
