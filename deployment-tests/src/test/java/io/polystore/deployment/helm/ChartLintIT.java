package io.polystore.deployment.helm;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code helm lint --strict}: on the chart as shipped, and with each values file of its ci/ folder. */
class ChartLintIT {

    static final List<String> scenarios = PolystoreChart.CI_VALUES;

    @Test
    void theChartAsShippedPassesStrictLint() {
        assertPasses(PolystoreChart.lint(PolystoreChart.directory()));
    }

    /**
     * helm-java's lint takes no values file, so each scenario is linted on a copy of the chart whose values.yaml is
     * the chart's values with the scenario's merged over them, which is what {@code helm lint -f} lints.
     */
    @ParameterizedTest(name = "ci/{0}-values.yaml")
    @FieldSource("scenarios")
    void theChartWithEachCiValuesFilePassesStrictLint(String scenario) throws IOException {
        Path copy = PolystoreChart.renderableCopy(PolystoreChart.directory());
        Map<String, Object> values = merge(load(copy.resolve("values.yaml")), load(PolystoreChart.ciValues(scenario)));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(copy.resolve("values.yaml"), new Yaml(new Representer(options), options).dump(values));

        assertPasses(PolystoreChart.lint(copy));
    }

    private static void assertPasses(LintResult result) {
        assertThat(result.getMessages()).as("lint messages").noneMatch(message -> message.contains("[WARNING]") || message.contains("[ERROR]"));
        assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
    }

    private static Map<String, Object> load(Path file) throws IOException {
        Map<String, Object> values = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        return values == null ? new LinkedHashMap<>() : values;
    }

    /** Helm's merge of values: maps merge key by key, anything else (lists included) is replaced. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        overrides.forEach((key, value) -> merged.merge(key, value, (old, replacement) ->
                old instanceof Map<?, ?> oldMap && replacement instanceof Map<?, ?> newMap
                        ? merge((Map<String, Object>) oldMap, (Map<String, Object>) newMap) : replacement));
        return merged;
    }
}
