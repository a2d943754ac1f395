package io.polystore.sync.federation.internal;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.AbstractRelNode;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;

import java.util.ArrayList;
import java.util.List;

/**
 * A read of one catalog table with everything pushed into its SurrealQL; a leaf of the plan that runs
 * {@link SurrealQuery#execute}. {@code EXPLAIN} shows the statement ({@code surrealql=[...]}).
 */
final class SurrealQueryRel extends AbstractRelNode implements EnumerableRel {

    private final RelOptTable table;
    private final SurrealQuery query;

    SurrealQueryRel(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, SurrealQuery query) {
        super(cluster, traits);
        this.table = table;
        this.query = query;
        this.rowType = deriveRowType();
    }

    SurrealQuery query() {
        return query;
    }

    SurrealQueryRel with(RelTraitSet traits, SurrealQuery changed) {
        return new SurrealQueryRel(getCluster(), traits, table, changed);
    }

    @Override
    protected RelDataType deriveRowType() {
        List<RelDataTypeField> fields = table.getRowType().getFieldList();
        org.apache.calcite.rel.type.RelDataTypeFactory.Builder row = getCluster().getTypeFactory().builder();
        for (int i = 0; i < query.fieldCount(); i++) {
            RelDataTypeField field = fields.get(query.table().indexOf(query.column(i).name()));
            row.add(field);
        }
        return row.build();
    }

    @Override
    public RelOptTable getTable() {
        return table;
    }

    @Override
    public RelNode copy(RelTraitSet traits, List<RelNode> inputs) {
        return with(traits, query);
    }

    /**
     * Also lets the planner join the catalog by batches of the other side's keys (Calcite's batched nested-loop
     * join), which become one {@code IN $keys} condition per batch, instead of reading a table whole.
     */
    @Override
    public void register(RelOptPlanner planner) {
        SurrealRules.ALL.forEach(planner::addRule);
        planner.addRule(EnumerableRules.ENUMERABLE_BATCH_NESTED_LOOP_JOIN_RULE);
    }

    @Override
    public RelWriter explainTerms(RelWriter writer) {
        List<String> keys = query.correlatedValues().stream()
                .map(key -> key.correlation() + "." + key.field()).distinct().toList();
        // The keys belong to the plan: the same statement under another join binds other variables.
        return super.explainTerms(writer)
                .item("table", table.getQualifiedName())
                .item("surrealql", query.surrealQl())
                .itemIf("keys", keys.size() > 3 ? keys.getFirst() + ".." + keys.getLast() + " (" + keys.size() + ")" : keys,
                        !keys.isEmpty());
    }

    @Override
    public double estimateRowCount(RelMetadataQuery metadata) {
        double rows = query.table().estimatedRows() * Math.pow(0.15, query.conditionCount());
        if (query.fetch() instanceof SurrealQuery.Value.Literal(Object limit)) {
            rows = Math.min(rows, ((Number) limit).doubleValue());
        } else if (query.fetch() != null) {
            rows = Math.min(rows, 100);
        }
        return Math.max(rows, 1);
    }

    /** Cheaper the more is pushed: fewer rows and fewer columns cross the network. */
    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery metadata) {
        double rows = estimateRowCount(metadata);
        double width = (double) query.fieldCount() / query.table().columns().size();
        return planner.getCostFactory().makeCost(rows, rows * (0.5 + width), rows * width);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer preference) {
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY, false);
        Expression stashed = implementor.stash(query, SurrealQuery.class);
        BlockBuilder block = new BlockBuilder();
        List<Expression> keys = new ArrayList<>();
        for (SurrealQuery.Value.Correlated key : query.correlatedValues()) {
            keys.add(Expressions.box(implementor.getCorrelVariableGetter(key.correlation()).field(block, key.field(), null)));
        }
        Expression run = keys.isEmpty() ? Expressions.call(stashed, "execute", DataContext.ROOT)
                : Expressions.call(stashed, "execute", DataContext.ROOT, Expressions.newArrayInit(Object.class, keys));
        block.add(Expressions.return_(null, run));
        return implementor.result(physType, block.toBlock());
    }
}
