package io.polystore.deployment.helm;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * values.schema.json is closed: every object it describes refuses keys it does not name, so that a misspelt value
 * fails instead of being ignored. Maps (labels, env, clients) say what their values must be. The only open objects are
 * Helm's {@code global} and the Kubernetes structures passed through to the API server, which checks them.
 */
class ValuesSchemaTest {

    private static final Set<String> OPEN = Set.of("/properties/global", "/$defs/kubernetesObject");

    @Test
    void everyObjectInTheSchemaIsClosed() throws IOException {
        JsonNode schema = JsonMapper.builder().build().readTree(Files.readString(PolystoreChart.directory().resolve("values.schema.json")));
        List<String> objects = new ArrayList<>();
        collectObjects(schema, "", objects);

        assertThat(objects).hasSizeGreaterThan(50).allSatisfy(pointer -> {
            JsonNode node = schema.at(pointer.isEmpty() ? "" : pointer);
            if (!OPEN.contains(pointer)) {
                assertThat(node.has("additionalProperties")).as("%s says which keys it takes", pointer).isTrue();
                if (node.has("properties")) {
                    assertThat(node.get("additionalProperties").asBoolean(true)).as("%s is closed", pointer).isFalse();
                }
            }
        });
    }

    private static void collectObjects(JsonNode node, String pointer, List<String> objects) {
        if (node.isObject()) {
            if ("object".equals(node.path("type").asString(""))) {
                objects.add(pointer);
            }
            for (var field : node.properties()) {
                collectObjects(field.getValue(), pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1"), objects);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectObjects(node.get(i), pointer + "/" + i, objects);
            }
        }
    }
}
