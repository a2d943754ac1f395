package io.polystore.surrealdb;

import java.util.List;

/** SurrealDB's geometry values (CBOR tags 88 to 94). */
public sealed interface Geometry {

    /** Tag 88: {@code (x, y)}, longitude then latitude for geographic points. */
    record Point(double x, double y) implements Geometry {
    }

    /** Tag 89. */
    record Line(List<Point> points) implements Geometry {
        public Line {
            points = List.copyOf(points);
        }
    }

    /** Tag 90: the exterior ring first, then the holes. */
    record Polygon(List<Line> rings) implements Geometry {
        public Polygon {
            rings = List.copyOf(rings);
        }
    }

    /** Tag 91. */
    record MultiPoint(List<Point> points) implements Geometry {
        public MultiPoint {
            points = List.copyOf(points);
        }
    }

    /** Tag 92. */
    record MultiLine(List<Line> lines) implements Geometry {
        public MultiLine {
            lines = List.copyOf(lines);
        }
    }

    /** Tag 93. */
    record MultiPolygon(List<Polygon> polygons) implements Geometry {
        public MultiPolygon {
            polygons = List.copyOf(polygons);
        }
    }

    /** Tag 94. */
    record Collection(List<Geometry> geometries) implements Geometry {
        public Collection {
            geometries = List.copyOf(geometries);
        }
    }
}
