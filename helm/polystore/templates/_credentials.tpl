{{/*
Credentials: every password and key the services need, in one registry. Each entry, by its key: "path" (the values
key, for messages) and "source" ({value, existingSecret, existingSecretKey}). A credential is read from
  - the chart's Secret <fullname>-inline-credentials when its value is given in the values,
  - existingSecret/existingSecretKey when given (a Secret of an operator, External Secrets, Vault, ...),
  - else the Secret <fullname>-credentials (credentials.secretName), under its registry key, which you create.
The chart generates no credential: keys made in a template would change at every rendering, and with them the
meaning of the data they encrypt.
*/}}
{{- define "polystore.credentials" -}}
{{- $v := .Values -}}
{{- $c := dict -}}
{{- $pg := $v.postgresql -}}
{{- $_ := set $c "postgresql-orders-password" (dict "path" "postgresql.orders.password" "source" $pg.orders.password) -}}
{{- $_ := set $c "postgresql-sync-password" (dict "path" "postgresql.sync.password" "source" $pg.sync.password) -}}
{{- $_ := set $c "postgresql-relay-password" (dict "path" "postgresql.relay.password" "source" $pg.relay.password) -}}
{{- $_ := set $c "postgresql-audit-password" (dict "path" "postgresql.audit.password" "source" $pg.audit.password) -}}
{{- $_ := set $c "postgresql-audit-app-password" (dict "path" "postgresql.auditApp.password" "source" $pg.auditApp.password) -}}
{{- $_ := set $c "postgresql-gateway-password" (dict "path" "postgresql.gateway.password" "source" $pg.gateway.password) -}}
{{- $_ := set $c "surrealdb-password" (dict "path" "surrealdb.password" "source" $v.surrealdb.password) -}}
{{- if include "polystore.kafka.sasl" . -}}
{{- $_ := set $c "kafka-sasl-password" (dict "path" "kafka.sasl.password" "source" $v.kafka.sasl.password) -}}
{{- end -}}
{{- $_ := set $c "order-service-master-key" (dict "path" "orderService.masterKey" "source" $v.orderService.masterKey) -}}
{{- $_ := set $c "order-service-customer-digest-key" (dict "path" "orderService.customerDigestKey" "source" $v.orderService.customerDigestKey) -}}
{{- $_ := set $c "audit-encryption-keyset" (dict "path" "auditService.encryptionKeyset" "source" $v.auditService.encryptionKeyset) -}}
{{- $_ := set $c "audit-index-keyset" (dict "path" "auditService.indexKeyset" "source" $v.auditService.indexKeyset) -}}
{{- $_ := set $c "audit-checkpoint-signing-key" (dict "path" "auditService.checkpointSigningKey" "source" $v.auditService.checkpointSigningKey) -}}
{{- if include "polystore.builtInIssuer" . -}}
{{- range $i, $key := $v.identity.signingKeys -}}
{{- $_ := set $c (printf "gateway-signing-key-%d" $i) (dict "path" (printf "identity.signingKeys[%d].pem" $i) "source" $key.pem) -}}
{{- end -}}
{{- if $v.identity.initialAdmin.username -}}
{{- $_ := set $c "gateway-initial-admin-password-hash" (dict "path" "identity.initialAdmin.passwordHash" "source" $v.identity.initialAdmin.passwordHash) -}}
{{- end -}}
{{- $identity := include "polystore.identityJson" . -}}
{{- if or $v.identity.existingSecret $identity -}}
{{- $source := dict "value" (ternary "" $identity (not (empty $v.identity.existingSecret))) "existingSecret" $v.identity.existingSecret "existingSecretKey" $v.identity.existingSecretKey -}}
{{- $_ := set $c "gateway-identity-json" (dict "path" "identity.clients" "source" $source) -}}
{{- end -}}
{{- end -}}
{{- if $v.dev.enabled -}}
{{- $_ := set $c "postgresql-superuser-password" (dict "path" "dev.postgresql.superuserPassword" "source" $v.dev.postgresql.superuserPassword) -}}
{{- end -}}
{{- range $key, $credential := $c -}}
{{- if and $credential.source.value $credential.source.existingSecret -}}
{{- fail (printf "%s: give either value or existingSecret, not both." $credential.path) -}}
{{- end -}}
{{- end -}}
{{- toJson $c -}}
{{- end -}}

{{/* The chart's Secret, holding the credentials given inline in the values. */}}
{{- define "polystore.inlineCredentialsSecretName" -}}
{{- printf "%s-inline-credentials" (include "polystore.fullname" .) -}}
{{- end -}}

{{/* The Secret you provide for every credential given neither inline nor by existingSecret. */}}
{{- define "polystore.credentialsSecretName" -}}
{{- .Values.credentials.secretName | default (printf "%s-credentials" (include "polystore.fullname" .)) -}}
{{- end -}}

{{/*
Where a credential is read from: (dict "name" <Secret> "key" <key>). Takes (dict "root" $ "key" "<registry key>").
*/}}
{{- define "polystore.credentialRef" -}}
{{- $credentials := fromJson (include "polystore.credentials" .root) -}}
{{- $credential := index $credentials .key -}}
{{- if $credential.source.value -}}
{{- toJson (dict "name" (include "polystore.inlineCredentialsSecretName" .root) "key" .key) -}}
{{- else if $credential.source.existingSecret -}}
{{- toJson (dict "name" $credential.source.existingSecret "key" $credential.source.existingSecretKey) -}}
{{- else -}}
{{- toJson (dict "name" (include "polystore.credentialsSecretName" .root) "key" .key) -}}
{{- end -}}
{{- end -}}

{{/* The registry keys of the credentials read from credentials.secretName, which you create. */}}
{{- define "polystore.expectedCredentials" -}}
{{- $expected := list -}}
{{- range $key, $credential := fromJson (include "polystore.credentials" .) -}}
{{- if not (or $credential.source.value $credential.source.existingSecret) -}}
{{- $expected = append $expected $key -}}
{{- end -}}
{{- end -}}
{{- toJson $expected -}}
{{- end -}}

{{/* An env entry whose value comes from a credential. Takes (dict "root" $ "name" "ENV_NAME" "key" "<registry key>"). */}}
{{- define "polystore.credentialEnv" -}}
{{- $ref := fromJson (include "polystore.credentialRef" .) -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.name }}
      key: {{ $ref.key }}
{{- end -}}

{{/*
Clients of the gateway's own issuer, as the JSON Spring reads from SPRING_APPLICATION_JSON; empty when there are none.
The swagger-ui client is added for the public URL unless clients names one.
*/}}
{{- define "polystore.identityJson" -}}
{{- $v := .Values.identity -}}
{{- $clients := deepCopy $v.clients -}}
{{- if and $v.swaggerUiClient (not (hasKey $clients "swagger-ui")) -}}
{{- $redirect := printf "%s/swagger-ui/oauth2-redirect.html" (include "polystore.publicUrl" .) -}}
{{- $_ := set $clients "swagger-ui" (dict "grantTypes" (list "authorization_code") "redirectUris" (list $redirect) "scopes" (list "openid" "profile")) -}}
{{- end -}}
{{- if $clients -}}
{{- toJson (dict "polystore" (dict "identity" (dict "clients" $clients))) -}}
{{- end -}}
{{- end -}}
