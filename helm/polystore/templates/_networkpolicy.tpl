{{/*
NetworkPolicy building blocks. Peers are NetworkPolicyPeer lists; an empty list of peers means any destination,
restricted by port.
*/}}

{{/* Pods of one component of this release, as a peer. Takes (dict "root" $ "component" "..."). */}}
{{- define "polystore.peer" -}}
- podSelector:
    matchLabels:
      {{- include "polystore.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/* A peer from a {namespaceSelector, podSelector} value: both must match. */}}
{{- define "polystore.selectorPeer" -}}
- namespaceSelector:
    {{- toYaml .namespaceSelector | nindent 4 }}
  podSelector:
    {{- toYaml .podSelector | nindent 4 }}
{{- end -}}

{{/* An egress rule. Takes (dict "to" <peers or empty> "ports" (list ...) "protocols" (list "TCP")). */}}
{{- define "polystore.egressRule" -}}
- ports:
    {{- range $port := .ports }}
    {{- range $protocol := $.protocols }}
    - port: {{ $port }}
      protocol: {{ $protocol }}
    {{- end }}
    {{- end }}
  {{- with .to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{/* DNS, for every pod of the release that resolves names. */}}
{{- define "polystore.dnsEgress" -}}
{{ include "polystore.egressRule" (dict "to" .Values.networkPolicy.dns.to "ports" (list 53) "protocols" (list "UDP" "TCP")) }}
{{- end -}}

{{/* The ports of kafka.bootstrapServers plus networkPolicy.egress.kafka.extraPorts, as a JSON list. */}}
{{- define "polystore.kafkaPorts" -}}
{{- $ports := list -}}
{{- if .Values.dev.enabled -}}
{{- $ports = list 9092 -}}
{{- else -}}
{{- range $server := splitList "," .Values.kafka.bootstrapServers -}}
{{- $ports = append $ports (last (splitList ":" (trim $server)) | int) -}}
{{- end -}}
{{- $ports = concat $ports .Values.networkPolicy.egress.kafka.extraPorts -}}
{{- end -}}
{{- toJson (uniq $ports) -}}
{{- end -}}

{{/* The port of an http(s) URL. */}}
{{- define "polystore.urlPort" -}}
{{- $url := urlParse . -}}
{{- $hostAndPort := splitList ":" $url.host -}}
{{- if gt (len $hostAndPort) 1 -}}{{ last $hostAndPort }}{{- else -}}{{ ternary 443 80 (eq $url.scheme "https") }}{{- end -}}
{{- end -}}

{{/* Egress to a store: the try-out StatefulSet's pods, else the configured peers. Takes (dict "root" $ "store" "kafka" "ports" ...). */}}
{{- define "polystore.storeEgress" -}}
{{- if .root.Values.dev.enabled -}}
{{ include "polystore.egressRule" (dict "to" (include "polystore.peer" (dict "root" .root "component" .store) | fromYamlArray) "ports" .ports "protocols" (list "TCP")) }}
{{- else -}}
{{ include "polystore.egressRule" (dict "to" (index .root.Values.networkPolicy.egress .store).to "ports" .ports "protocols" (list "TCP")) }}
{{- end -}}
{{- end -}}
