{{/*
Names, labels, images and the facts every template shares.
*/}}

{{- define "polystore.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* "<release>-polystore", or the release name when it already contains the chart name. */}}
{{- define "polystore.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "polystore.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The five services: the values key of each, its component (the Maven module, spring.application.name and image name),
its port (HTTP, health and metrics on the same port) and the gateway's name for it (polystore.services.<route>).
*/}}
{{- define "polystore.services" -}}
gateway: {component: gateway, port: 8080}
orderService: {component: order-service, port: 8081, route: orders}
catalogService: {component: catalog-service, port: 8082, route: catalog}
syncService: {component: sync-service, port: 8083, route: sync}
auditService: {component: audit-service, port: 8084, route: audit}
{{- end -}}

{{/* Object name of a component: <fullname>-<component>. Takes (dict "root" $ "component" "order-service"). */}}
{{- define "polystore.componentName" -}}
{{- printf "%s-%s" (include "polystore.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels: name, instance and component only, so that they never change across upgrades. */}}
{{- define "polystore.selectorLabels" -}}
app.kubernetes.io/name: {{ include "polystore.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end -}}

{{/* Every object's labels. Takes (dict "root" $ "component" "...") ; component may be empty. */}}
{{- define "polystore.labels" -}}
helm.sh/chart: {{ include "polystore.chart" .root }}
{{ include "polystore.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: polystore
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
An image reference: registry (the image's own, else the global one), repository, then the digest if given, else the
tag (the image's own, else the global one, else the chart's appVersion).
Takes (dict "root" $ "image" .Values.x.image "global" true|false); global false keeps the chart-wide image defaults
out (for third-party images such as the try-out stores').
*/}}
{{- define "polystore.image" -}}
{{- $registry := .image.registry -}}
{{- $tag := .image.tag -}}
{{- if .global -}}
{{- $registry = default .root.Values.image.registry $registry -}}
{{- $tag = default .root.Values.image.tag $tag | default .root.Chart.AppVersion -}}
{{- end -}}
{{- $repository := .image.repository -}}
{{- if $registry -}}
{{- $repository = printf "%s/%s" (trimSuffix "/" $registry) $repository -}}
{{- end -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (toString $tag) -}}
{{- end -}}
{{- end -}}

{{- define "polystore.imagePullPolicy" -}}
{{- default .root.Values.image.pullPolicy .image.pullPolicy -}}
{{- end -}}

{{/*
The gateway's public URL: identity.publicUrl, else the first ingress host (https when a TLS entry names it), else the
first HTTPRoute hostname over https, else http://localhost:8080 for kubectl port-forward.
*/}}
{{- define "polystore.publicUrl" -}}
{{- $v := .Values -}}
{{- if $v.identity.publicUrl -}}
{{- trimSuffix "/" $v.identity.publicUrl -}}
{{- else if and $v.ingress.enabled $v.ingress.hosts -}}
{{- $host := first $v.ingress.hosts -}}
{{- $tls := false -}}
{{- range $v.ingress.tls -}}
{{- if has $host .hosts -}}{{- $tls = true -}}{{- end -}}
{{- end -}}
{{- printf "%s://%s" (ternary "https" "http" $tls) $host -}}
{{- else if and $v.httpRoute.enabled $v.httpRoute.hostnames -}}
{{- printf "https://%s" (first $v.httpRoute.hostnames) -}}
{{- else -}}
http://localhost:8080
{{- end -}}
{{- end -}}

{{/* Whether the gateway issues tokens itself ("true") or trusts an external provider (""). */}}
{{- define "polystore.builtInIssuer" -}}
{{- if not .Values.identity.external.issuerUri -}}true{{- end -}}
{{- end -}}

{{/* The in-cluster address of a component's Service. Takes (dict "root" $ "component" "..." "port" 8080). */}}
{{- define "polystore.serviceUrl" -}}
{{- printf "http://%s:%v" (include "polystore.componentName" .) .port -}}
{{- end -}}

{{/* Whether the ServiceMonitor and PrometheusRule are rendered ("true" or ""). */}}
{{- define "polystore.prometheusOperator" -}}
{{- $mode := .Values.monitoring.prometheusOperator -}}
{{- if or (eq $mode "always") (and (eq $mode "auto") (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1")) -}}true{{- end -}}
{{- end -}}

{{/*
The try-out stores' addresses when dev.enabled, else the configured external ones. Each returns one value.
*/}}
{{- define "polystore.postgresql.host" -}}
{{- if .Values.dev.enabled -}}{{ include "polystore.componentName" (dict "root" . "component" "postgresql") }}{{- else -}}{{ .Values.postgresql.host }}{{- end -}}
{{- end -}}

{{- define "polystore.postgresql.port" -}}
{{- if .Values.dev.enabled -}}5432{{- else -}}{{ .Values.postgresql.port }}{{- end -}}
{{- end -}}

{{- define "polystore.kafka.bootstrapServers" -}}
{{- if .Values.dev.enabled -}}{{ include "polystore.componentName" (dict "root" . "component" "kafka") }}:9092{{- else -}}{{ .Values.kafka.bootstrapServers }}{{- end -}}
{{- end -}}

{{- define "polystore.surrealdb.url" -}}
{{- if .Values.dev.enabled -}}http://{{ include "polystore.componentName" (dict "root" . "component" "surrealdb") }}:8000{{- else -}}{{ trimSuffix "/" .Values.surrealdb.url }}{{- end -}}
{{- end -}}

{{/* A JDBC URL of one database. Takes (dict "root" $ "database" "orders"). */}}
{{- define "polystore.jdbcUrl" -}}
{{- $root := .root -}}
{{- $query := list -}}
{{- if not $root.Values.dev.enabled -}}
{{- $query = append $query (printf "sslmode=%s" $root.Values.postgresql.sslMode) -}}
{{- if $root.Values.postgresql.caSecret.name -}}
{{- $query = append $query (printf "sslrootcert=/etc/polystore/tls/postgresql/%s" $root.Values.postgresql.caSecret.key) -}}
{{- end -}}
{{- end -}}
{{- printf "jdbc:postgresql://%s:%s/%s" (include "polystore.postgresql.host" $root) (include "polystore.postgresql.port" $root) .database -}}
{{- if $query -}}?{{ join "&" $query }}{{- end -}}
{{- end -}}

{{/* Kafka's TLS trust is configured when the protocol uses TLS and a CA Secret is named ("true" or ""). */}}
{{- define "polystore.kafka.tls" -}}
{{- if and (not .Values.dev.enabled) (hasSuffix "SSL" .Values.kafka.securityProtocol) .Values.kafka.caSecret.name -}}true{{- end -}}
{{- end -}}

{{- define "polystore.kafka.sasl" -}}
{{- if and (not .Values.dev.enabled) (hasPrefix "SASL_" .Values.kafka.securityProtocol) -}}true{{- end -}}
{{- end -}}

{{/* SurrealDB's CA is mounted when an https server's CA Secret is named ("true" or ""). */}}
{{- define "polystore.surrealdb.tls" -}}
{{- if and (not .Values.dev.enabled) (hasPrefix "https://" .Values.surrealdb.url) .Values.surrealdb.caSecret.name -}}true{{- end -}}
{{- end -}}

{{- define "polystore.postgresql.tls" -}}
{{- if and (not .Values.dev.enabled) .Values.postgresql.caSecret.name -}}true{{- end -}}
{{- end -}}
