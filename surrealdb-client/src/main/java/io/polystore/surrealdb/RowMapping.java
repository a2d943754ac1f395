package io.polystore.surrealdb;

import io.polystore.surrealdb.cbor.SurrealCbor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps what SurrealDB returns onto Java records, so that rows become typed values where they leave the store. A
 * record component reads the field of its name in snake_case ({@code createdAt} reads {@code created_at}), the name
 * {@link SurrealCbor} writes it to, or of its name as written when no such field exists. Values convert as follows:
 * <ul>
 * <li>NONE and NULL become {@code null} (an empty list for a {@code List}, an empty map for a {@code Map}); a
 * primitive component needs a value;</li>
 * <li>numbers convert to the component's number type, {@code BigDecimal} included;</li>
 * <li>strings become enums by name; objects become nested records; lists become {@code List}s of their element
 * type; {@code Map<String, Object>} and {@code Object} components take the value as it came;</li>
 * <li>anything else must already have the component's type ({@code String}, {@code Instant}, {@link RecordId}, ...).</li>
 * </ul>
 * A value that does not fit fails with the record and field named.
 */
public final class RowMapping {

    private record Component(String name, String field, Type type, Class<?> raw) {
    }

    private record Shape(List<Component> components, MethodHandle constructor) {
    }

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            if (!type.isRecord()) {
                throw new IllegalArgumentException(type.getName() + " is not a record");
            }
            RecordComponent[] recordComponents = type.getRecordComponents();
            List<Component> components = new ArrayList<>(recordComponents.length);
            Class<?>[] parameters = new Class<?>[recordComponents.length];
            for (int i = 0; i < recordComponents.length; i++) {
                RecordComponent component = recordComponents[i];
                components.add(new Component(component.getName(), SurrealCbor.fieldName(component.getName()),
                        component.getGenericType(), component.getType()));
                parameters[i] = component.getType();
            }
            try {
                var constructor = type.getDeclaredConstructor(parameters);
                constructor.setAccessible(true);
                return new Shape(List.copyOf(components), MethodHandles.lookup().unreflectConstructor(constructor)
                        .asSpreader(Object[].class, parameters.length));
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("Cannot construct " + type.getName(), e);
            }
        }
    };

    private RowMapping() {
    }

    /** The row (an object SurrealDB returned) as a {@code type}. */
    public static <R extends Record> R to(Class<R> type, Object row) {
        return type.cast(record(type, row, type.getSimpleName()));
    }

    private static Object record(Class<?> type, Object value, String where) {
        if (!(value instanceof Map<?, ?> row)) {
            throw new IllegalStateException(where + ": expected an object for " + type.getSimpleName() + ", got "
                    + describe(value));
        }
        Shape shape = SHAPES.get(type);
        Object[] arguments = new Object[shape.components().size()];
        for (int i = 0; i < arguments.length; i++) {
            Component component = shape.components().get(i);
            Object field = row.containsKey(component.field()) ? row.get(component.field()) : row.get(component.name());
            arguments[i] = convert(field, component.type(), component.raw(), where + "." + component.field());
        }
        try {
            return shape.constructor().invoke(arguments);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot construct " + type.getName(), e);
        }
    }

    private static Object convert(Object value, Type type, Class<?> raw, String where) {
        if (value == null || value == SurrealNone.NONE) {
            if (raw.isPrimitive()) {
                throw new IllegalStateException(where + ": expected a " + raw.getName() + ", got none");
            }
            return raw == List.class ? List.of() : raw == Map.class ? Map.of() : null;
        }
        if (raw == Object.class || raw.isInstance(value) && raw != List.class && raw != Map.class) {
            return value;
        }
        if (value instanceof Number number) {
            return number(number, raw, where);
        }
        if (raw.isEnum() && value instanceof String name) {
            return enumConstant(raw, name, where);
        }
        if (raw.isRecord()) {
            return record(raw, value, where);
        }
        if (raw == List.class && value instanceof List<?> list) {
            Type element = typeArgument(type, 0);
            Class<?> elementRaw = rawClass(element);
            List<Object> converted = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                converted.add(convert(list.get(i), element, elementRaw, where + "[" + i + "]"));
            }
            return converted;
        }
        if (raw == Map.class && value instanceof Map<?, ?> map) {
            return new LinkedHashMap<>(map);
        }
        if (raw == boolean.class && value instanceof Boolean) {
            return value;
        }
        throw new IllegalStateException(where + ": expected " + raw.getSimpleName() + ", got " + describe(value));
    }

    private static Object number(Number number, Class<?> raw, String where) {
        if (raw == long.class || raw == Long.class) {
            return number.longValue();
        }
        if (raw == int.class || raw == Integer.class) {
            return Math.toIntExact(number.longValue());
        }
        if (raw == double.class || raw == Double.class) {
            return number.doubleValue();
        }
        if (raw == BigDecimal.class) {
            return number instanceof Double decimal ? BigDecimal.valueOf(decimal) : new BigDecimal(number.toString());
        }
        throw new IllegalStateException(where + ": expected " + raw.getSimpleName() + ", got the number " + number);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> raw, String name, String where) {
        try {
            return Enum.valueOf((Class<? extends Enum>) raw, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": '" + name + "' is no " + raw.getSimpleName(), e);
        }
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType parameterized) {
            Type argument = parameterized.getActualTypeArguments()[index];
            return argument instanceof WildcardType wildcard ? wildcard.getUpperBounds()[0] : argument;
        }
        return Object.class;
    }

    private static Class<?> rawClass(Type type) {
        return switch (type) {
            case Class<?> plain -> plain;
            case ParameterizedType parameterized -> (Class<?>) parameterized.getRawType();
            default -> Object.class;
        };
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }
}
