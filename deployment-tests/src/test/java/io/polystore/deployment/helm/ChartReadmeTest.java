package io.polystore.deployment.helm;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart README's values table and values.yaml agree: every value the table names exists, and every value the
 * chart has is in the table. (A README naming a value the chart does not have is a classic of public charts.)
 */
class ChartReadmeTest {

    private static final Pattern KEY = Pattern.compile("`([A-Za-z<>][A-Za-z0-9<>.]*)`");
    private static final Map<String, List<String>> PLACEHOLDERS = Map.of(
            "<service>", List.of("gateway", "orderService", "catalogService", "syncService", "auditService"),
            "<store>", List.of("postgresql", "kafka", "surrealdb"));
    /** A credential is documented as one value: {value, existingSecret, existingSecretKey}. */
    private static final Set<String> CREDENTIAL_FIELDS = Set.of("value", "existingSecret", "existingSecretKey");

    @Test
    void theValuesTableDocumentsExactlyTheChartsValues() throws IOException {
        Path chart = PolystoreChart.directory();
        Map<String, Object> values = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(chart.resolve("values.yaml")));
        List<List<String>> leaves = new ArrayList<>();
        collectLeaves(values, List.of(), leaves);
        List<List<String>> documented = documentedKeys(Files.readString(chart.resolve("README.md")));

        assertThat(documented).as("keys in the README's values table").isNotEmpty().allSatisfy(key ->
                assertThat(exists(values, key)).as("values.yaml has %s", String.join(".", key)).isTrue());
        assertThat(leaves).allSatisfy(leaf -> assertThat(documented).as("the README documents %s", String.join(".", leaf))
                .anySatisfy(key -> assertThat(leaf.subList(0, Math.min(key.size(), leaf.size()))).isEqualTo(key)));
    }

    private static List<List<String>> documentedKeys(String readme) {
        String table = readme.substring(readme.indexOf("\n## Values\n"));
        table = table.substring(0, table.indexOf("\n## ", 1));
        List<List<String>> keys = new ArrayList<>();
        for (String row : table.lines().filter(line -> line.startsWith("| `")).toList()) {
            Matcher key = KEY.matcher(row.substring(0, row.indexOf(" |", 2)));
            while (key.find()) {
                expand(key.group(1), keys);
            }
        }
        return keys;
    }

    private static void expand(String key, List<List<String>> keys) {
        for (var placeholder : PLACEHOLDERS.entrySet()) {
            if (key.contains(placeholder.getKey())) {
                placeholder.getValue().forEach(name -> expand(key.replace(placeholder.getKey(), name), keys));
                return;
            }
        }
        keys.add(Arrays.asList(key.split("\\.")));
    }

    @SuppressWarnings("unchecked")
    private static void collectLeaves(Object node, List<String> path, List<List<String>> leaves) {
        if (node instanceof Map<?, ?> map && !map.isEmpty() && !CREDENTIAL_FIELDS.containsAll(map.keySet())) {
            ((Map<String, Object>) map).forEach((key, child) -> {
                List<String> childPath = new ArrayList<>(path);
                childPath.add(key);
                collectLeaves(child, childPath, leaves);
            });
        } else {
            leaves.add(path);
        }
    }

    private static boolean exists(Map<String, Object> values, List<String> key) {
        Object node = values;
        for (String part : key) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return false;
            }
            node = map.get(part);
        }
        return true;
    }
}
