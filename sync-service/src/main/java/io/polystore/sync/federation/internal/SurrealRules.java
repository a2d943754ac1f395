package io.polystore.sync.federation.internal;

import io.polystore.sync.federation.internal.SurrealQuery.Condition;
import io.polystore.sync.federation.internal.SurrealQuery.Ordering;
import io.polystore.sync.federation.internal.SurrealQuery.Value;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableLimit;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilderFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Planner rules that push filters, projections, sorting and limits into a {@link SurrealQueryRel}. */
final class SurrealRules {

    static final List<RelOptRule> ALL = List.of(
            rule("SurrealFilterRule", LogicalFilter.class, SurrealRules::pushFilter),
            rule("SurrealProjectRule", LogicalProject.class, SurrealRules::pushProject),
            rule("SurrealSortRule", LogicalSort.class, SurrealRules::pushSort),
            rule("SurrealLimitRule", EnumerableLimit.class, SurrealRules::pushLimit));

    private SurrealRules() {
    }

    /** Translatable conjuncts go down; the rest stays as a filter above. Not below a limit. */
    private static void pushFilter(RelOptRuleCall call, RelNode parent) {
        Filter filter = (Filter) parent;
        SurrealQueryRel scan = call.rel(1);
        if (scan.query().limited()) {
            return;
        }
        SurrealConditions translator = new SurrealConditions(scan.query(), filter.getCluster().getRexBuilder());
        List<Condition> pushed = new ArrayList<>();
        List<RexNode> remaining = new ArrayList<>();
        for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
            Optional<Condition> condition = translator.translate(conjunct);
            condition.ifPresentOrElse(pushed::add, () -> remaining.add(conjunct));
        }
        if (pushed.isEmpty()) {
            return;
        }
        RelNode pushedDown = scan.with(scan.getTraitSet(), scan.query().filter(pushed));
        call.transformTo(remaining.isEmpty() ? pushedDown
                : call.builder().push(pushedDown).filter(remaining).build());
    }

    /** A projection of plain columns becomes the statement's field list. */
    private static void pushProject(RelOptRuleCall call, RelNode parent) {
        Project project = (Project) parent;
        SurrealQueryRel scan = call.rel(1);
        List<Integer> fields = new ArrayList<>();
        for (RexNode expression : project.getProjects()) {
            if (!(expression instanceof RexInputRef ref) || fields.contains(ref.getIndex())) {
                return;
            }
            fields.add(ref.getIndex());
        }
        SurrealQuery projected = scan.query().project(fields);
        if (projected == null || !project.getRowType().getFieldNames()
                .equals(fields.stream().map(field -> scan.getRowType().getFieldNames().get(field)).toList())) {
            return;
        }
        call.transformTo(scan.with(project.getTraitSet().replace(EnumerableConvention.INSTANCE), projected));
    }

    /**
     * ORDER BY on columns that are never null, and LIMIT/OFFSET given as literals or parameters; Calcite plans an
     * {@code ORDER BY ... LIMIT} as an order and then a limit on top of it, so a limit goes onto an ordered read.
     * SurrealDB compares strings by code point, as Java does for the keys and names here.
     */
    private static void pushSort(RelOptRuleCall call, RelNode parent) {
        Sort sort = (Sort) parent;
        SurrealQueryRel scan = call.rel(1);
        SurrealQuery query = scan.query();
        boolean ordering = !sort.getCollation().getFieldCollations().isEmpty();
        if (query.limited() || (ordering && query.ordered()) || (!ordering && sort.offset == null && sort.fetch == null)) {
            return;
        }
        List<Ordering> order = new ArrayList<>(query.order());
        if (ordering) {
            for (RelFieldCollation field : sort.getCollation().getFieldCollations()) {
                if (query.column(field.getFieldIndex()).nullable()) {
                    return;
                }
                order.add(new Ordering(field.getFieldIndex(), field.getDirection().isDescending()));
            }
        }
        Value offset = sort.offset == null ? null : SurrealConditions.value(sort.offset, null);
        Value fetch = sort.fetch == null ? null : SurrealConditions.value(sort.fetch, null);
        if ((sort.offset != null && offset == null) || (sort.fetch != null && fetch == null)) {
            return;
        }
        RelTraitSet traits = ordering ? sort.getTraitSet().replace(EnumerableConvention.INSTANCE) : scan.getTraitSet();
        call.transformTo(scan.with(traits, query.sort(order, offset, fetch)));
    }

    /** The limit Calcite has already made physical above an ordered (or unordered) read. */
    private static void pushLimit(RelOptRuleCall call, RelNode parent) {
        EnumerableLimit limit = (EnumerableLimit) parent;
        SurrealQueryRel scan = call.rel(1);
        if (scan.query().limited()) {
            return;
        }
        Value offset = limit.offset == null ? null : SurrealConditions.value(limit.offset, null);
        Value fetch = limit.fetch == null ? null : SurrealConditions.value(limit.fetch, null);
        if ((limit.offset != null && offset == null) || (limit.fetch != null && fetch == null)) {
            return;
        }
        call.transformTo(scan.with(scan.getTraitSet(), scan.query().sort(scan.query().order(), offset, fetch)));
    }

    private static RelOptRule rule(String name, Class<? extends RelNode> parent, BiConsumer<RelOptRuleCall, RelNode> push) {
        return new Settings(name, builder -> builder.operand(parent)
                .oneInput(input -> input.operand(SurrealQueryRel.class).noInputs()),
                RelFactories.LOGICAL_BUILDER, push).toRule();
    }

    /** The rule's configuration, written out as Calcite's own rules get it generated. */
    private record Settings(String description, RelRule.OperandTransform operandSupplier,
                            RelBuilderFactory relBuilderFactory, BiConsumer<RelOptRuleCall, RelNode> push)
            implements RelRule.Config {

        @Override
        public RelOptRule toRule() {
            return new PushRule(this);
        }

        @Override
        public RelRule.Config withRelBuilderFactory(RelBuilderFactory factory) {
            return new Settings(description, operandSupplier, factory, push);
        }

        @Override
        public RelRule.Config withDescription(String changed) {
            return new Settings(changed, operandSupplier, relBuilderFactory, push);
        }

        @Override
        public RelRule.Config withOperandSupplier(RelRule.OperandTransform transform) {
            return new Settings(description, transform, relBuilderFactory, push);
        }
    }

    private static final class PushRule extends RelRule<Settings> {

        PushRule(Settings settings) {
            super(settings);
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            config.push().accept(call, call.rel(0));
        }
    }
}
