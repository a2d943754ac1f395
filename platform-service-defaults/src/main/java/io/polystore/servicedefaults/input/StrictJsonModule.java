package io.polystore.servicedefaults.input;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies {@link TextRules} to every string a request body binds to: string fields and elements, map keys, and the
 * strings inside free-form values ({@code Object}, e.g. a product's attributes). A refused string is a 400 naming
 * its field, e.g. {@code attributes.colour}, instead of a store's failure later.
 */
final class StrictJsonModule extends SimpleModule {

    StrictJsonModule() {
        super("polystore-strict-text");
        addDeserializer(String.class, new CheckedStrings());
        addDeserializer(Object.class, new CheckedFreeForm());
        addKeyDeserializer(String.class, new CheckedKeys());
    }

    private static String checked(DeserializationContext context, String text) {
        if (text != null) {
            TextRules.problem(text).ifPresent(reason -> {
                throw InvalidFormatException.from(context.getParser(), reason, "", String.class);
            });
        }
        return text;
    }

    /** A key is not echoed in the field's name: the problem names the object that has it. */
    private static String checkedKey(DeserializationContext context, String key) {
        TextRules.problem(key).ifPresent(reason -> {
            throw InvalidFormatException.from(context.getParser(), "has a key that " + reason, "", String.class);
        });
        return key;
    }

    private static final class CheckedStrings extends StdDeserializer<String> {

        CheckedStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            return checked(context, StringDeserializer.instance.deserialize(parser, context));
        }
    }

    private static final class CheckedKeys extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext context) {
            return checkedKey(context, key);
        }
    }

    /** Free-form JSON as maps, lists, strings, numbers, booleans and nulls, as Jackson's own untyped binding gives. */
    private static final class CheckedFreeForm extends StdDeserializer<Object> {

        CheckedFreeForm() {
            super(Object.class);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            JsonNode tree = context.readTree(parser);
            return plain(tree, context);
        }

        private static Object plain(JsonNode node, DeserializationContext context) {
            if (node.isObject()) {
                Map<String, Object> object = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> property : node.properties()) {
                    String key = checkedKey(context, property.getKey());
                    try {
                        object.put(key, plain(property.getValue(), context));
                    } catch (InvalidFormatException e) {
                        e.prependPath(object, property.getKey());
                        throw e;
                    }
                }
                return object;
            }
            if (node.isArray()) {
                List<Object> array = new ArrayList<>();
                for (JsonNode element : node) {
                    try {
                        array.add(plain(element, context));
                    } catch (InvalidFormatException e) {
                        e.prependPath(array, array.size());
                        throw e;
                    }
                }
                return array;
            }
            if (node.isString()) {
                return checked(context, node.asString());
            }
            if (node.isNumber()) {
                return node.numberValue();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            return null;
        }
    }
}
