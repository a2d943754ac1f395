package io.polystore.sync.federation.internal;

import io.polystore.sync.federation.internal.SurrealQuery.Condition;
import io.polystore.sync.federation.internal.SurrealQuery.Value;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translates SQL conditions on a catalog table into SurrealQL conditions: comparisons of a column with a literal or
 * a parameter ({@code = <> < <= > >=}, {@code IN} lists, ranges), and {@code AND}/{@code OR} of those. Whatever is
 * not translatable stays in Calcite, which evaluates it on the rows SurrealDB returns.
 */
final class SurrealConditions {

    private final SurrealQuery query;
    private final RexBuilder rexBuilder;
    private int binding;
    private int slot;

    SurrealConditions(SurrealQuery query, RexBuilder rexBuilder) {
        this.query = query;
        this.rexBuilder = rexBuilder;
        this.binding = query.nextBinding();
        this.slot = query.correlatedValues().size();
    }

    /** The condition as SurrealQL, or empty when some part of it cannot go to SurrealDB. */
    Optional<Condition> translate(RexNode condition) {
        int before = binding;
        List<Value> values = new ArrayList<>();
        String text = translate(RexUtil.expandSearch(rexBuilder, null, condition), values);
        if (text == null) {
            binding = before;
            return Optional.empty();
        }
        return Optional.of(new Condition(text, values.stream().map(this::withSlots).toList()));
    }

    private String translate(RexNode node, List<Value> values) {
        if (node instanceof RexInputRef field) {
            return booleanField(field, true, values);
        }
        if (!(node instanceof RexCall call)) {
            return null;
        }
        if (call.getKind() == SqlKind.NOT && call.getOperands().get(0) instanceof RexInputRef field) {
            return booleanField(field, false, values);
        }
        return switch (call.getKind()) {
            case AND, OR -> {
                String in = call.getKind() == SqlKind.OR ? anyOf(call, values) : null;
                if (in != null) {
                    yield in;
                }
                List<String> parts = new ArrayList<>();
                for (RexNode operand : call.getOperands()) {
                    String part = translate(operand, values);
                    if (part == null) {
                        yield null;
                    }
                    parts.add(part);
                }
                yield "(" + String.join(call.getKind() == SqlKind.AND ? " AND " : " OR ", parts) + ")";
            }
            case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL ->
                    comparison(call, values);
            default -> null;
        };
    }

    private String comparison(RexCall call, List<Value> values) {
        RexNode left = call.getOperands().get(0);
        RexNode right = call.getOperands().get(1);
        SqlKind kind = call.getKind();
        if (!(left instanceof RexInputRef)) {
            RexNode swap = left;
            left = right;
            right = swap;
            kind = kind.reverse();
        }
        if (!(left instanceof RexInputRef field)) {
            return null;
        }
        CatalogColumn column = query.column(field.getIndex());
        Value value = value(right, column);
        if (!column.filterable() || value == null) {
            return null;
        }
        values.add(value);
        return column.filterField() + " " + operator(kind) + " $p" + binding++;
    }

    /** Join keys numbered in the order {@link SurrealQuery#correlatedValues()} lists them. */
    private Value withSlots(Value value) {
        return switch (value) {
            case Value.Correlated key -> new Value.Correlated(key.correlation(), key.field(), key.column(), slot++);
            case Value.AnyOf anyOf -> new Value.AnyOf(anyOf.values().stream().map(this::withSlots).toList());
            default -> value;
        };
    }

    /**
     * {@code a = x OR a = y OR ...} on one column as {@code a IN $p}: Calcite writes {@code IN} lists and a batched
     * nested-loop join's keys that way. Null when the disjuncts are anything else.
     */
    private String anyOf(RexCall or, List<Value> values) {
        Integer field = null;
        List<Value> choices = new ArrayList<>();
        for (RexNode operand : or.getOperands()) {
            if (!(operand instanceof RexCall equals) || equals.getKind() != SqlKind.EQUALS) {
                return null;
            }
            RexNode left = equals.getOperands().get(0);
            RexNode right = equals.getOperands().get(1);
            if (!(left instanceof RexInputRef)) {
                RexNode swap = left;
                left = right;
                right = swap;
            }
            if (!(left instanceof RexInputRef ref) || (field != null && field != ref.getIndex())) {
                return null;
            }
            field = ref.getIndex();
            Value value = value(right, query.column(field));
            if (value == null) {
                return null;
            }
            choices.add(value);
        }
        CatalogColumn column = query.column(field);
        if (!column.filterable()) {
            return null;
        }
        if (values != null) {
            values.add(new Value.AnyOf(choices));
        }
        return column.filterField() + " IN $p" + binding++;
    }

    /** {@code WHERE active} (Calcite's simplification of {@code active = true}) and {@code WHERE NOT active}. */
    private String booleanField(RexInputRef field, boolean value, List<Value> values) {
        CatalogColumn column = query.column(field.getIndex());
        if (!column.filterable() || column.kind() != CatalogColumn.Kind.BOOLEAN) {
            return null;
        }
        values.add(new Value.Literal(value));
        return column.filterField() + " = $p" + binding++;
    }

    /** A literal or parameter compared with {@code column}, or null for anything else (another column, a function). */
    static Value value(RexNode node, CatalogColumn column) {
        return switch (node) {
            case RexLiteral literal when !literal.isNull() -> new Value.Literal(
                    column == null ? literal.getValueAs(BigDecimal.class).longValueExact() : column.toSurreal(literalValue(literal, column)));
            case RexDynamicParam parameter -> new Value.Parameter(parameter.getIndex(), column);
            case RexFieldAccess access when column != null && access.getReferenceExpr() instanceof RexCorrelVariable variable ->
                    new Value.Correlated(variable.id.getName(), access.getField().getIndex(), column, -1);
            default -> null;
        };
    }

    private static Object literalValue(RexLiteral literal, CatalogColumn column) {
        return switch (column.kind()) {
            case STRING -> literal.getValueAs(String.class);
            case BIGINT -> literal.getValueAs(Long.class);
            case DECIMAL -> literal.getValueAs(BigDecimal.class);
            case BOOLEAN -> literal.getValueAs(Boolean.class);
            case TIMESTAMP -> literal.getValueAs(Long.class);
        };
    }

    private static String operator(SqlKind kind) {
        return switch (kind) {
            case EQUALS -> "=";
            case NOT_EQUALS -> "!=";
            case LESS_THAN -> "<";
            case LESS_THAN_OR_EQUAL -> "<=";
            case GREATER_THAN -> ">";
            case GREATER_THAN_OR_EQUAL -> ">=";
            default -> throw new IllegalArgumentException(kind.toString());
        };
    }
}
