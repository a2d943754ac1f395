package io.polystore.deployment.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.polystore.deployment.support.Repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The chart under test, {@code helm/polystore}, rendered and linted by Helm itself (helm-java: Helm's Go library in
 * this JVM). Each values file is rendered once per JVM.
 *
 * <p>helm-java's {@code template} leaves hooks out of its output, so the chart is rendered from a copy whose hook
 * annotations are removed: the {@code helm test} pod is then checked like every other object (and
 * {@link #hookAnnotations()} checks the annotations the copy dropped).
 */
final class PolystoreChart {

    static final String RELEASE = "polystore";
    static final String NAMESPACE = "polystore";
    /** Kubernetes version the renderings assume; the chart asks for 1.25 or newer. */
    static final String KUBE_VERSION = "1.33.0";
    /** The values files of the chart's ci/ folder, each a scenario the chart must render. */
    static final List<String> CI_VALUES = List.of("default", "production", "minimal", "dev", "gateway-api");

    private static final Pattern HOOK_ANNOTATION = Pattern.compile("(?m)^\\s*helm\\.sh/hook(-[a-z-]+)?:.*\\R");
    private static final Map<String, Rendering> renderings = new ConcurrentHashMap<>();

    private PolystoreChart() {
    }

    static Path repository() {
        return Repository.root();
    }

    /** {@code helm/polystore} in the repository. */
    static Path directory() {
        return repository().resolve("helm").resolve("polystore");
    }

    static Path ciValues(String scenario) {
        return directory().resolve("ci").resolve(scenario + "-values.yaml");
    }

    /** The rendering of one ci/ scenario, made once per JVM. */
    static Rendering rendering(String scenario) {
        return renderings.computeIfAbsent(scenario, name -> render(renderableCopy(directory()), ciValues(name)));
    }

    /** Renders a chart directory (with its hooks removed) with the given values files, later ones winning. */
    static Rendering render(Path chart, Path... valuesFiles) {
        return Rendering.parse(template(chart, valuesFiles));
    }

    /** Helm's output for a chart directory as it is; throws Helm's error (schema violations, fail messages). */
    static String template(Path chart, Path... valuesFiles) {
        var template = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (Path values : valuesFiles) {
            template = template.withValuesFile(values);
        }
        return template.call();
    }

    /**
     * NOTES.txt as {@code helm install} would print it after installing with a ci/ scenario. helm-java's template
     * does not render NOTES, so a copy of the chart turns them into a ConfigMap that is rendered with the rest.
     */
    static String notes(String scenario) {
        Path copy = renderableCopy(directory());
        try {
            Path notes = copy.resolve("templates").resolve("NOTES.txt");
            Files.writeString(copy.resolve("templates").resolve("_notes-under-test.tpl"),
                    "{{- define \"notesUnderTest\" -}}\n" + Files.readString(notes) + "\n{{- end -}}\n");
            Files.delete(notes);
            Files.writeString(copy.resolve("templates").resolve("notes-under-test.yaml"), """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: notes-under-test
                    data:
                      NOTES.txt: {{ include "notesUnderTest" . | toJson }}
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return render(copy, ciValues(scenario)).configMapValue("notes-under-test", "NOTES.txt");
    }

    static LintResult lint(Path chart) {
        return new Helm(chart).lint().strict().call();
    }

    /**
     * A copy of a chart under {@code deployment-tests/target/helm/}, its hooks rendered as plain objects, to which a
     * test may add files (e.g. fixture dashboards).
     */
    static Path renderableCopy(Path chart) {
        try {
            Path copy = Files.createTempDirectory(Files.createDirectories(repository().resolve("deployment-tests/target/helm")), "chart-");
            Path target = copy.resolve("polystore");
            try (Stream<Path> files = Files.walk(chart)) {
                for (Path source : files.toList()) {
                    Path destination = target.resolve(chart.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(destination);
                    } else if (source.startsWith(chart.resolve("templates"))) {
                        Files.writeString(destination, HOOK_ANNOTATION.matcher(Files.readString(source, StandardCharsets.UTF_8)).replaceAll(""));
                    } else {
                        Files.copy(source, destination);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the chart " + chart, e);
        }
    }

    /** The hook annotations of the shipped chart's test templates, by file name. */
    static Map<String, List<String>> hookAnnotations() {
        try (Stream<Path> tests = Files.list(directory().resolve("templates").resolve("tests"))) {
            return tests.collect(java.util.stream.Collectors.toMap(file -> file.getFileName().toString(), file -> {
                try {
                    return HOOK_ANNOTATION.matcher(Files.readString(file)).results().map(match -> match.group().strip()).toList();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
