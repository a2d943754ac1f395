{{/*
Shared parts of the try-out stores: pod and container security, the NetworkPolicy admitting the services that use
a store, and its ServiceAccount and Service. Takes (dict "root" $ "component" "postgresql" "port" 5432 "user" 999
"clients" (list "order-service" ...)).
*/}}
{{- define "polystore.dev.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .user }}
runAsGroup: {{ .user }}
fsGroup: {{ .user }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "polystore.dev.objects" -}}
{{- $context := dict "root" .root "component" .component -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "polystore.componentName" $context }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "polystore.labels" $context | nindent 4 }}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "polystore.componentName" $context }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "polystore.labels" $context | nindent 4 }}
spec:
  selector:
    {{- include "polystore.selectorLabels" $context | nindent 4 }}
  ports:
    - name: {{ .component }}
      port: {{ .port }}
      targetPort: {{ .component }}
      protocol: TCP
{{- if .root.Values.networkPolicy.enabled }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "polystore.componentName" $context }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "polystore.labels" $context | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "polystore.selectorLabels" $context | nindent 6 }}
  # Reached only by the services that use it; it reaches nothing.
  policyTypes: [Ingress, Egress]
  ingress:
    - ports:
        - port: {{ .port }}
          protocol: TCP
      from:
        {{- range $client := .clients }}
        {{- include "polystore.peer" (dict "root" $.root "component" $client) | nindent 8 }}
        {{- end }}
{{- end }}
{{- end -}}

{{- define "polystore.dev.volumeClaim" -}}
volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      {{- with .root.Values.dev.storageClassName }}
      storageClassName: {{ . }}
      {{- end }}
      resources:
        requests:
          storage: {{ .storage }}
{{- end -}}
