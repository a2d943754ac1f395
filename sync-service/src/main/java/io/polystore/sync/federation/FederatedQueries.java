package io.polystore.sync.federation;

import io.polystore.events.FederatedQueryRan;
import io.polystore.sync.federation.internal.FederationStores;
import io.polystore.sync.federation.internal.FreshnessReader;
import io.polystore.sync.federation.internal.QueryAuditor;
import io.polystore.sync.federation.internal.StatementGuard;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Read-only SQL over both stores. Ad-hoc queries are checked to be one {@code SELECT} before anything runs, capped
 * in rows and time, and audited (text, caller, row count, outcome), whatever their outcome.
 */
public class FederatedQueries {

    private final FederationStores stores;
    private final FreshnessReader freshness;
    private final QueryAuditor auditor;
    private final FederationProperties properties;
    private final Clock clock;

    public FederatedQueries(FederationStores stores, FreshnessReader freshness, QueryAuditor auditor,
                            FederationProperties properties, Clock clock) {
        this.stores = stores;
        this.freshness = freshness;
        this.auditor = auditor;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * @param timeLimit a shorter limit than the configured one, or null
     * @throws QueryRefusedException        not one query, or not valid against the schema
     * @throws QueryLimitException          past the row cap or the time limit
     * @throws FederationUnavailableException a store failed
     */
    public QueryAnswer run(String sql, Duration timeLimit, String actor) {
        String queryId = UUID.randomUUID().toString();
        long started = System.nanoTime();
        FederatedQueryRan.Outcome outcome = FederatedQueryRan.Outcome.FAILED;
        int rows = 0;
        try {
            StatementGuard.requireOneQuery(sql);
            QueryResult result = query(sql, List.of(), properties.rowCap(),
                    timeLimit == null || timeLimit.compareTo(properties.timeLimit()) > 0 ? properties.timeLimit() : timeLimit);
            outcome = FederatedQueryRan.Outcome.SUCCEEDED;
            rows = result.rows().size();
            return new QueryAnswer(queryId, result.columns(), result.rows(), rows, freshness.read());
        } catch (QueryRefusedException e) {
            outcome = FederatedQueryRan.Outcome.REFUSED;
            throw e;
        } catch (QueryLimitException e) {
            outcome = FederatedQueryRan.Outcome.LIMIT_EXCEEDED;
            throw e;
        } finally {
            auditor.record(new FederatedQueryRan(queryId, actor, sql, outcome, rows,
                    (System.nanoTime() - started) / 1_000_000, clock.instant()));
        }
    }

    /** A query the service wrote itself (the named reports), with its parameters; planned once, not audited. */
    QueryResult query(String sql, List<?> parameters, int rowCap) {
        try {
            return stores.engine().queryPrepared(sql, parameters, rowCap, properties.timeLimit());
        } catch (SQLException e) {
            throw new FederationUnavailableException("A store failed while answering the query: " + e.getMessage(), e);
        }
    }

    private QueryResult query(String sql, List<?> parameters, int rowCap, Duration timeLimit) {
        try {
            return stores.engine().query(sql, parameters, rowCap, timeLimit);
        } catch (SQLException e) {
            throw new FederationUnavailableException("A store failed while answering the query: " + e.getMessage(), e);
        }
    }

    /** Calcite's plan for {@code sql} with its parameters, with the SQL and SurrealQL it sends to the stores. */
    public String explain(String sql, List<?> parameters) {
        StatementGuard.requireOneQuery(sql);
        try {
            return stores.engine().explain(sql, parameters);
        } catch (SQLException e) {
            throw new FederationUnavailableException("A store failed while planning the query: " + e.getMessage(), e);
        }
    }

    List<SourceFreshness> freshness() {
        return freshness.read();
    }
}
