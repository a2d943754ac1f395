package io.polystore.deployment.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The pods a rendering would run: those of its Deployments and StatefulSets, and its bare Pods (the helm test). */
final class Workloads {

    private Workloads() {
    }

    /** Every pod template, by "Kind name". */
    static Map<String, PodTemplateSpec> podTemplates(Rendering rendering) {
        Map<String, PodTemplateSpec> pods = new LinkedHashMap<>();
        rendering.all(Deployment.class).forEach(deployment ->
                pods.put("Deployment " + deployment.getMetadata().getName(), deployment.getSpec().getTemplate()));
        rendering.all(StatefulSet.class).forEach(statefulSet ->
                pods.put("StatefulSet " + statefulSet.getMetadata().getName(), statefulSet.getSpec().getTemplate()));
        rendering.all(Pod.class).forEach(pod ->
                pods.put("Pod " + pod.getMetadata().getName(), new PodTemplateSpec(pod.getMetadata(), pod.getSpec())));
        return pods;
    }

    /** Every container of the long-running workloads (Deployments and StatefulSets), by "Kind name/container". */
    static Map<String, Container> longRunningContainers(Rendering rendering) {
        Map<String, Container> containers = new LinkedHashMap<>();
        podTemplates(rendering).forEach((workload, pod) -> {
            if (!workload.startsWith("Pod ")) {
                pod.getSpec().getContainers().forEach(container -> containers.put(workload + "/" + container.getName(), container));
            }
        });
        return containers;
    }

    /** Whether a label selector (matchLabels and matchExpressions) selects these labels. */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        boolean labelsMatch = Objects.requireNonNullElse(selector.getMatchLabels(), Map.<String, String>of()).entrySet().stream()
                .allMatch(entry -> entry.getValue().equals(labels.get(entry.getKey())));
        boolean expressionsMatch = Objects.requireNonNullElse(selector.getMatchExpressions(), List.<io.fabric8.kubernetes.api.model.LabelSelectorRequirement>of())
                .stream().allMatch(requirement -> switch (requirement.getOperator()) {
                    case "In" -> requirement.getValues().contains(labels.get(requirement.getKey()));
                    case "NotIn" -> !requirement.getValues().contains(labels.get(requirement.getKey()));
                    case "Exists" -> labels.containsKey(requirement.getKey());
                    case "DoesNotExist" -> !labels.containsKey(requirement.getKey());
                    default -> throw new IllegalArgumentException("Unknown operator " + requirement.getOperator());
                });
        return labelsMatch && expressionsMatch;
    }
}
