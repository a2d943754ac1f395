package io.polystore.deployment.helm;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.List;
import java.util.Map;

/**
 * prometheus-operator's ServiceMonitor and PrometheusRule (monitoring.coreos.com/v1), typed as records of the fields
 * of their CRDs that the chart writes, with the CRDs' field names. Parsed strictly, a misspelt or misplaced field
 * fails, as it would against the CRD's schema.
 */
final class PrometheusOperator {

    private PrometheusOperator() {
    }

    record ServiceMonitor(String apiVersion, String kind, ObjectMeta metadata, ServiceMonitorSpec spec) {
    }

    record ServiceMonitorSpec(LabelSelector selector, NamespaceSelector namespaceSelector, List<Endpoint> endpoints,
                              String jobLabel) {
    }

    record NamespaceSelector(Boolean any, List<String> matchNames) {
    }

    record Endpoint(String port, String path, String scheme, String interval, String scrapeTimeout, Boolean honorLabels,
                    List<RelabelConfig> relabelings, List<RelabelConfig> metricRelabelings) {
    }

    record RelabelConfig(List<String> sourceLabels, String separator, String targetLabel, String regex,
                         String replacement, String action) {
    }

    record PrometheusRule(String apiVersion, String kind, ObjectMeta metadata, PrometheusRuleSpec spec) {
    }

    record PrometheusRuleSpec(List<RuleGroup> groups) {
    }

    record RuleGroup(String name, String interval, List<Rule> rules) {
    }

    record Rule(String alert, String record, String expr, @JsonProperty("for") String forDuration,
                @JsonProperty("keep_firing_for") String keepFiringFor, Map<String, String> labels,
                Map<String, String> annotations) {
    }
}
