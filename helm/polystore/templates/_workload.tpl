{{/*
Whether a service runs under a HorizontalPodAutoscaler ("true" or ""): switched on and more than one replica.
Takes the service's values.
*/}}
{{- define "polystore.autoscaled" -}}
{{- if and .autoscaling.enabled (gt (int .replicas) 1) -}}true{{- end -}}
{{- end -}}

{{/* Whether a service has a PodDisruptionBudget ("true" or ""): switched on and more than one replica. */}}
{{- define "polystore.disruptionBudget" -}}
{{- if and .podDisruptionBudget.enabled (gt (int .replicas) 1) -}}true{{- end -}}
{{- end -}}

{{/* Zones first, then nodes; only the current ReplicaSet's pods count (pod-template-hash). */}}
{{- define "polystore.topologySpread" -}}
{{- $spread := .root.Values.pods.topologySpread -}}
{{- range $constraint := list (list "topology.kubernetes.io/zone" $spread.zone) (list "kubernetes.io/hostname" $spread.node) }}
- maxSkew: {{ (index $constraint 1).maxSkew }}
  topologyKey: {{ index $constraint 0 }}
  whenUnsatisfiable: {{ (index $constraint 1).whenUnsatisfiable }}
  labelSelector:
    matchLabels:
      {{- include "polystore.selectorLabels" $ | nindent 6 }}
  matchLabelKeys:
    - pod-template-hash
{{- end }}
{{- end -}}

{{/* The startup, liveness and readiness probes on Spring Boot's health groups. */}}
{{- define "polystore.probes" -}}
{{- $probes := .Values.pods.probes -}}
startupProbe:
  httpGet: {path: /actuator/health/liveness, port: http}
  {{- toYaml $probes.startup | nindent 2 }}
livenessProbe:
  httpGet: {path: /actuator/health/liveness, port: http}
  {{- toYaml $probes.liveness | nindent 2 }}
readinessProbe:
  httpGet: {path: /actuator/health/readiness, port: http}
  {{- toYaml $probes.readiness | nindent 2 }}
{{- end -}}
