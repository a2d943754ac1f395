package io.polystore.servicedefaults.openapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes the record types of an API say what their JSON says, from the code's own jspecify annotations: a component
 * declared {@code @Nullable} may be {@code null} (OpenAPI 3.1 {@code type: [..., "null"]}, or {@code oneOf} a
 * reference and {@code null}) and need not be sent; every other component is required. A record written with
 * {@code @JsonInclude(NON_NULL)} leaves its null components out instead, so they are optional but never null.
 * A Jackson {@code JsonNode} is any JSON value, not the node class's getters.
 */
public class NullabilityModelConverter implements ModelConverter {

    private static final String NULL = "null";

    @Override
    public @Nullable Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        Class<?> raw = Json31.mapper().constructType(type.getType()).getRawClass();
        if (isJsonNode(raw)) {
            return new JsonSchema();
        }
        Schema<?> schema = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
        if (schema != null && raw.isRecord()) {
            Schema<?> model = schema.get$ref() == null ? schema
                    : context.getDefinedModels().get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1));
            if (model != null && model.getProperties() != null) {
                describe(raw, model);
            }
        }
        return schema;
    }

    @Override
    public boolean isOpenapi31() {
        return true;
    }

    private static void describe(Class<?> record, Schema<?> model) {
        JsonInclude inclusion = record.getAnnotation(JsonInclude.class);
        boolean nullsOmitted = inclusion != null && inclusion.value() == JsonInclude.Include.NON_NULL;
        Set<String> required = new LinkedHashSet<>(model.getRequired() == null ? List.of() : model.getRequired());
        @SuppressWarnings({"rawtypes", "unchecked"})
        Map<String, Schema> properties = (Map) model.getProperties();
        for (RecordComponent component : record.getRecordComponents()) {
            String name = component.getName();
            Schema<?> property = properties.get(name);
            if (property == null) {
                continue;
            }
            if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
                required.remove(name);
                if (!nullsOmitted) {
                    properties.put(name, orNull(property));
                }
            } else {
                required.add(name);
            }
        }
        model.setRequired(required.isEmpty() ? null : new ArrayList<>(required));
    }

    /** The property's schema with {@code null} allowed as well. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Schema<?> orNull(Schema property) {
        if (property.get$ref() != null) {
            Schema<?> alternatives = new JsonSchema().oneOf(List.of(new JsonSchema().$ref(property.get$ref()),
                    new JsonSchema().typesItem(NULL)));
            return alternatives.description(property.getDescription());
        }
        if (property.getTypes() == null && property.getType() != null) {
            property.typesItem(property.getType());
        }
        if (property.getTypes() != null) {
            property.addType(NULL);
        }
        if (property.getEnum() != null && !property.getEnum().contains(null)) {
            property.addEnumItemObject(null);
        }
        return property;
    }

    private static boolean isJsonNode(Class<?> type) {
        return tools.jackson.databind.JsonNode.class.isAssignableFrom(type)
                || com.fasterxml.jackson.databind.JsonNode.class.isAssignableFrom(type);
    }
}
