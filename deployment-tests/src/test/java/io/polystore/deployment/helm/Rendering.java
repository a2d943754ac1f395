package io.polystore.deployment.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * What Helm rendered: every document, parsed strictly into its Kubernetes model type (see {@link StrictManifests}),
 * with its raw form for checks on what the model does not keep apart.
 */
record Rendering(List<Manifest> manifests) {

    /** One rendered object: the template it came from, its raw YAML tree and its typed model. */
    record Manifest(String source, Map<String, Object> raw, Object object) {

        String kind() {
            return (String) raw.get("kind");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> metadata() {
            return (Map<String, Object>) raw.get("metadata");
        }

        String name() {
            return (String) metadata().get("name");
        }

        @SuppressWarnings("unchecked")
        Map<String, String> labels() {
            return (Map<String, String>) metadata().getOrDefault("labels", Map.of());
        }
    }

    static Rendering parse(String output) {
        List<Manifest> manifests = new ArrayList<>();
        String source = "?";
        for (String document : output.split("(?m)^---\\s*$")) {
            for (String line : document.lines().toList()) {
                if (line.startsWith("# Source: ")) {
                    source = line.substring("# Source: ".length());
                }
            }
            Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(document);
            if (tree == null) {
                continue;
            }
            if (!(tree instanceof Map<?, ?> map)) {
                throw new AssertionError(source + " rendered a document that is not an object: " + document);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> raw = (Map<String, Object>) map;
            manifests.add(new Manifest(source, raw, StrictManifests.parse(source, raw)));
        }
        return new Rendering(List.copyOf(manifests));
    }

    <T> List<T> all(Class<T> type) {
        return manifests.stream().map(Manifest::object).filter(type::isInstance).map(type::cast).toList();
    }

    List<Manifest> ofKind(String kind) {
        return manifests.stream().filter(manifest -> kind.equals(manifest.kind())).toList();
    }

    <T> T named(Class<T> type, String name) {
        return manifests.stream().filter(manifest -> type.isInstance(manifest.object()) && name.equals(manifest.name()))
                .map(manifest -> type.cast(manifest.object())).findFirst()
                .orElseThrow(() -> new NoSuchElementException("No " + type.getSimpleName() + " " + name + " was rendered"));
    }

    /** A Secret's data, decoded (stringData included, as the API server would merge it). */
    static Map<String, String> decoded(Secret secret) {
        Map<String, String> values = new LinkedHashMap<>();
        Objects.requireNonNullElse(secret.getData(), Map.<String, String>of()).forEach((key, value) ->
                values.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        values.putAll(Objects.requireNonNullElse(secret.getStringData(), Map.of()));
        return values;
    }

    /** The value a secretKeyRef names, when the rendering holds that Secret. */
    String secretValue(String secretName, String key) {
        Map<String, String> values = decoded(named(Secret.class, secretName));
        if (!values.containsKey(key)) {
            throw new NoSuchElementException("Secret " + secretName + " has no key " + key + " (it has " + values.keySet() + ")");
        }
        return values.get(key);
    }

    String configMapValue(String configMapName, String key) {
        Map<String, String> data = Objects.requireNonNullElse(named(ConfigMap.class, configMapName).getData(), Map.of());
        if (!data.containsKey(key)) {
            throw new NoSuchElementException("ConfigMap " + configMapName + " has no key " + key);
        }
        return data.get(key);
    }

    /**
     * A container's environment as the kubelet would give it: every {@code envFrom} ConfigMap and Secret, then each
     * {@code env} entry, its {@code configMapKeyRef} or {@code secretKeyRef} resolved from this rendering.
     *
     * @throws NoSuchElementException when a reference names an object or key the rendering does not have
     */
    Map<String, String> environment(Container container) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvFromSource source : Objects.requireNonNullElse(container.getEnvFrom(), List.<EnvFromSource>of())) {
            if (source.getConfigMapRef() != null) {
                environment.putAll(Objects.requireNonNullElse(named(ConfigMap.class, source.getConfigMapRef().getName()).getData(), Map.of()));
            }
            if (source.getSecretRef() != null) {
                environment.putAll(decoded(named(Secret.class, source.getSecretRef().getName())));
            }
        }
        for (EnvVar variable : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
            EnvVarSource from = variable.getValueFrom();
            if (from == null) {
                environment.put(variable.getName(), Objects.requireNonNullElse(variable.getValue(), ""));
            } else if (from.getSecretKeyRef() != null) {
                environment.put(variable.getName(), secretValue(from.getSecretKeyRef().getName(), from.getSecretKeyRef().getKey()));
            } else if (from.getConfigMapKeyRef() != null) {
                environment.put(variable.getName(), configMapValue(from.getConfigMapKeyRef().getName(), from.getConfigMapKeyRef().getKey()));
            } else {
                throw new IllegalArgumentException(variable.getName() + " comes from neither a ConfigMap nor a Secret");
            }
        }
        return environment;
    }

    /** The port of a rendered Service. */
    int servicePort(String serviceName) {
        return named(Service.class, serviceName).getSpec().getPorts().getFirst().getPort();
    }
}
