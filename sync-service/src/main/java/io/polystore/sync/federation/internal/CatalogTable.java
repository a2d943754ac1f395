package io.polystore.sync.federation.internal;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

import java.util.List;

/**
 * One table of the {@code catalog} schema: what SQL sees, and the SurrealDB table (or a derivation of it) it reads.
 * Planned as a {@link SurrealQueryRel}, into which filters, projections, sorting and limits are pushed.
 *
 * @param name      the SQL name
 * @param source    the SurrealDB table
 * @param condition a condition every row of the source must meet, or null
 * @param split     the column the source's rows are split on ({@code SPLIT}: one row per element of an array), or null
 * @param columns   the columns, each with its SurrealQL expression
 * @param estimatedRows what the planner assumes before filters
 * @param store     where the table is read from
 */
record CatalogTable(String name, String source, String condition, String split, List<CatalogColumn> columns,
                    double estimatedRows, CatalogStore store) {

    CatalogTable {
        columns = List.copyOf(columns);
    }

    int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name + " has no column " + column);
    }

    /** The SQL face of the definition, registered in the {@code catalog} schema. */
    TranslatableTable asSqlTable() {
        return new SqlTable(this);
    }

    private static final class SqlTable extends AbstractTable implements TranslatableTable {

        private final CatalogTable table;

        SqlTable(CatalogTable table) {
            this.table = table;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory types) {
            RelDataTypeFactory.Builder row = types.builder();
            for (CatalogColumn column : table.columns()) {
                RelDataType type = column.kind() == CatalogColumn.Kind.DECIMAL
                        ? types.createSqlType(column.kind().sqlType, 19, 4)
                        : types.createSqlType(column.kind().sqlType);
                row.add(column.name(), types.createTypeWithNullability(type, column.nullable()));
            }
            return row.build();
        }

        @Override
        public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
            var cluster = context.getCluster();
            return new SurrealQueryRel(cluster, cluster.traitSetOf(EnumerableConvention.INSTANCE), relOptTable,
                    SurrealQuery.of(table));
        }
    }
}
