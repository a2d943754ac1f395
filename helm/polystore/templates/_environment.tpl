{{/*
Each service's environment, in Spring Boot's relaxed binding: "config" (variable -> value, for its ConfigMap) and
"credentials" (variable -> credential key, read from a Secret). Takes (dict "root" $ "service" "orderService").
*/}}
{{- define "polystore.environment" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $services := fromYaml (include "polystore.services" $root) -}}
{{- $config := dict -}}
{{- $credentials := dict -}}

{{- /* Kafka: every service produces or consumes. */ -}}
{{- $_ := set $config "SPRING_KAFKA_BOOTSTRAPSERVERS" (include "polystore.kafka.bootstrapServers" $root) -}}
{{- $_ := set $config "POLYSTORE_KAFKA_PARTITIONS" (toString $v.kafka.topics.partitions) -}}
{{- /* Each pod runs its share of its group's consumers (the autoscaler's minimum): none without a partition. */ -}}
{{- $_ := set $config "POLYSTORE_KAFKA_INSTANCES" (toString (max 1 (int (index $v .service).replicas))) -}}
{{- $_ := set $config "POLYSTORE_KAFKA_REPLICATIONFACTOR" (ternary "1" (toString $v.kafka.topics.replicationFactor) $v.dev.enabled) -}}
{{- $_ := set $config "POLYSTORE_KAFKA_MININSYNCREPLICAS" (ternary "1" (toString $v.kafka.topics.minInsyncReplicas) $v.dev.enabled) -}}
{{- if not $v.dev.enabled -}}
{{- $_ := set $config "SPRING_KAFKA_SECURITY_PROTOCOL" $v.kafka.securityProtocol -}}
{{- end -}}
{{- if include "polystore.kafka.sasl" $root -}}
{{- $module := ternary "org.apache.kafka.common.security.plain.PlainLoginModule" "org.apache.kafka.common.security.scram.ScramLoginModule" (eq $v.kafka.sasl.mechanism "PLAIN") -}}
{{- $_ := set $config "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM" $v.kafka.sasl.mechanism -}}
{{- /* The password stays in the Secret: Spring resolves the placeholder from POLYSTORE_KAFKA_PASSWORD. */ -}}
{{- $_ := set $config "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG" (printf "%s required username=\"%s\" password=\"${POLYSTORE_KAFKA_PASSWORD}\";" $module $v.kafka.sasl.username) -}}
{{- $_ := set $credentials "POLYSTORE_KAFKA_PASSWORD" "kafka-sasl-password" -}}
{{- end -}}
{{- if include "polystore.kafka.tls" $root -}}
{{- /* Kafka's own PEM trust store: plain client properties, which every Kafka client of a service takes. */ -}}
{{- $_ := set $config "SPRING_KAFKA_PROPERTIES_SSL_TRUSTSTORE_TYPE" "PEM" -}}
{{- $_ := set $config "SPRING_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION" (printf "/etc/polystore/tls/kafka/%s" $v.kafka.caSecret.key) -}}
{{- end -}}

{{- /* Tokens: the gateway's own issuer (keys fetched from its Service) or an external provider. */ -}}
{{- if include "polystore.builtInIssuer" $root -}}
{{- if ne .service "gateway" -}}
{{- $_ := set $config "POLYSTORE_ISSUER_URI" (include "polystore.publicUrl" $root) -}}
{{- $gateway := include "polystore.serviceUrl" (dict "root" $root "component" "gateway" "port" 8080) -}}
{{- $_ := set $config "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWKSETURI" (printf "%s/oauth2/jwks" $gateway) -}}
{{- end -}}
{{- else -}}
{{- $_ := set $config "POLYSTORE_EXTERNAL_ISSUER_URI" $v.identity.external.issuerUri -}}
{{- if and $v.identity.external.jwkSetUri (ne .service "gateway") -}}
{{- $_ := set $config "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWKSETURI" $v.identity.external.jwkSetUri -}}
{{- end -}}
{{- end -}}

{{- /* The region: every service names it on its responses; catalog-service and order-service act on it. */ -}}
{{- $_ := set $config "POLYSTORE_REGION_NAME" $v.region.name -}}
{{- with $v.region.catalogRegion -}}
{{- $_ := set $config "POLYSTORE_REGION_CATALOGREGION" . -}}
{{- end -}}
{{- with $v.region.peers -}}
{{- $_ := set $config "POLYSTORE_REGION_PEERS" (join "," .) -}}
{{- end -}}
{{- /* A map: its keys (region names, with hyphens) survive only in the property's own name, which Spring reads from
       the environment as it is (a Kubernetes variable name may hold dots and hyphens). */ -}}
{{- range $region, $url := $v.region.gateways -}}
{{- $_ := set $config (printf "polystore.region.gateways.%s" $region) $url -}}
{{- end -}}

{{- /* Runtime. */ -}}
{{- $_ := set $config "MANAGEMENT_TRACING_SAMPLING_PROBABILITY" (toString $v.tracing.samplingProbability) -}}
{{- with $v.tracing.otlpEndpoint -}}
{{- $_ := set $config "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT" . -}}
{{- end -}}
{{- with $v.pods.jvmOptions -}}
{{- $_ := set $config "JAVA_TOOL_OPTIONS" . -}}
{{- end -}}
{{- if ne $v.pods.logFormat "text" -}}
{{- $_ := set $config "LOGGING_STRUCTURED_FORMAT_CONSOLE" $v.pods.logFormat -}}
{{- end -}}

{{- /* Stores and keys, per service. */ -}}
{{- $pg := $v.postgresql -}}
{{- $surreal := $v.surrealdb -}}
{{- if eq .service "gateway" -}}
{{- $_ := set $config "SPRING_DATASOURCE_URL" (include "polystore.jdbcUrl" (dict "root" $root "database" $pg.gateway.database)) -}}
{{- $_ := set $config "SPRING_DATASOURCE_USERNAME" $pg.gateway.username -}}
{{- $_ := set $credentials "SPRING_DATASOURCE_PASSWORD" "postgresql-gateway-password" -}}
{{- range $key, $service := $services -}}
{{- if ne $key "gateway" -}}
{{- $variable := printf "POLYSTORE_SERVICES_%s" (upper $service.route) -}}
{{- $_ := set $config $variable (include "polystore.serviceUrl" (dict "root" $root "component" $service.component "port" $service.port)) -}}
{{- end -}}
{{- end -}}
{{- if or $v.ingress.enabled $v.httpRoute.enabled -}}
{{- /* Behind a proxy: the client address (audit, per-address limits) comes from X-Forwarded-For. */ -}}
{{- $_ := set $config "SERVER_FORWARDHEADERSSTRATEGY" "native" -}}
{{- end -}}
{{- if include "polystore.builtInIssuer" $root -}}
{{- $_ := set $config "POLYSTORE_IDENTITY_ISSUERURI" (include "polystore.publicUrl" $root) -}}
{{- range $i, $key := $v.identity.signingKeys -}}
{{- $_ := set $config (printf "POLYSTORE_IDENTITY_SIGNINGKEYS_%d_ID" $i) $key.id -}}
{{- $_ := set $credentials (printf "POLYSTORE_IDENTITY_SIGNINGKEYS_%d_PEM" $i) (printf "gateway-signing-key-%d" $i) -}}
{{- end -}}
{{- if not $v.identity.signingKeys -}}
{{- fail "identity.signingKeys: the gateway needs at least one signing key to issue tokens (or set identity.external.issuerUri)." -}}
{{- end -}}
{{- if or $v.identity.existingSecret (include "polystore.identityJson" $root) -}}
{{- $_ := set $credentials "SPRING_APPLICATION_JSON" "gateway-identity-json" -}}
{{- end -}}
{{- if $v.identity.demoUsers -}}
{{- $_ := set $config "SPRING_CONFIG_IMPORT" "classpath:demo-identity.yml" -}}
{{- end -}}
{{- with $v.identity.initialAdmin.username -}}
{{- $_ := set $config "POLYSTORE_ACCOUNTS_INITIALADMIN_USERNAME" . -}}
{{- $_ := set $credentials "POLYSTORE_ACCOUNTS_INITIALADMIN_PASSWORD" "gateway-initial-admin-password-hash" -}}
{{- end -}}
{{- end -}}

{{- else if eq .service "orderService" -}}
{{- $_ := set $config "SPRING_DATASOURCE_URL" (include "polystore.jdbcUrl" (dict "root" $root "database" $pg.orders.database)) -}}
{{- $_ := set $config "SPRING_DATASOURCE_USERNAME" $pg.orders.username -}}
{{- $_ := set $credentials "SPRING_DATASOURCE_PASSWORD" "postgresql-orders-password" -}}
{{- $_ := set $credentials "POLYSTORE_PERSONALDATA_MASTERKEY" "order-service-master-key" -}}
{{- $_ := set $credentials "POLYSTORE_ORDERS_CUSTOMERDIGESTKEY" "order-service-customer-digest-key" -}}
{{- /* The subject access export reads the audit trail's records about the customer. */ -}}
{{- $_ := set $config "POLYSTORE_ACCESS_AUDITSERVICEURL" (include "polystore.serviceUrl" (dict "root" $root "component" $services.auditService.component "port" $services.auditService.port)) -}}

{{- else if eq .service "catalogService" -}}
{{- $_ := merge $config (include "polystore.surrealdbEnvironment" (dict "root" $root "database" $surreal.database) | fromYaml) -}}
{{- $_ := set $credentials "POLYSTORE_SURREALDB_PASSWORD" "surrealdb-password" -}}

{{- else if eq .service "syncService" -}}
{{- $_ := set $config "SPRING_DATASOURCE_URL" (include "polystore.jdbcUrl" (dict "root" $root "database" $pg.sync.database)) -}}
{{- $_ := set $config "SPRING_DATASOURCE_USERNAME" $pg.sync.username -}}
{{- $_ := set $credentials "SPRING_DATASOURCE_PASSWORD" "postgresql-sync-password" -}}
{{- /* order-service's database, read from its WAL (Debezium) and by the reconciliation. */ -}}
{{- $_ := set $config "POLYSTORE_SYNC_POSTGRES_HOST" (include "polystore.postgresql.host" $root) -}}
{{- $_ := set $config "POLYSTORE_SYNC_POSTGRES_PORT" (include "polystore.postgresql.port" $root) -}}
{{- $_ := set $config "POLYSTORE_SYNC_POSTGRES_DATABASE" $pg.orders.database -}}
{{- $_ := set $config "POLYSTORE_SYNC_POSTGRES_USERNAME" $pg.relay.username -}}
{{- $_ := set $credentials "POLYSTORE_SYNC_POSTGRES_PASSWORD" "postgresql-relay-password" -}}
{{- if not $v.dev.enabled -}}
{{- $_ := set $config "POLYSTORE_SYNC_POSTGRES_SSLMODE" $pg.sslMode -}}
{{- if include "polystore.postgresql.tls" $root -}}
{{- $_ := set $config "POLYSTORE_SYNC_POSTGRES_SSLROOTCERT" (printf "/etc/polystore/tls/postgresql/%s" $pg.caSecret.key) -}}
{{- end -}}
{{- end -}}
{{- /* catalog-service's change-fed outbox database, and its own database for the reconciliation. */ -}}
{{- $_ := merge $config (include "polystore.surrealdbEnvironment" (dict "root" $root "database" (printf "%s_outbox" $surreal.database)) | fromYaml) -}}
{{- $_ := set $config "POLYSTORE_SYNC_RECONCILIATION_CATALOGDATABASE" $surreal.database -}}
{{- $_ := set $credentials "POLYSTORE_SURREALDB_PASSWORD" "surrealdb-password" -}}

{{- else if eq .service "auditService" -}}
{{- $_ := set $config "SPRING_DATASOURCE_URL" (include "polystore.jdbcUrl" (dict "root" $root "database" $pg.audit.database)) -}}
{{- $_ := set $config "SPRING_DATASOURCE_USERNAME" $pg.audit.username -}}
{{- $_ := set $credentials "SPRING_DATASOURCE_PASSWORD" "postgresql-audit-password" -}}
{{- $_ := set $config "POLYSTORE_AUDIT_DATABASE_APPUSERNAME" $pg.auditApp.username -}}
{{- $_ := set $credentials "POLYSTORE_AUDIT_DATABASE_APPPASSWORD" "postgresql-audit-app-password" -}}
{{- $_ := set $credentials "POLYSTORE_AUDIT_ENCRYPTION_KEYSET" "audit-encryption-keyset" -}}
{{- $_ := set $credentials "POLYSTORE_AUDIT_ENCRYPTION_INDEXKEYSET" "audit-index-keyset" -}}
{{- $_ := set $credentials "POLYSTORE_AUDIT_CHECKPOINTS_SIGNINGKEY" "audit-checkpoint-signing-key" -}}
{{- with $v.auditService.checkpointVerificationKeys -}}
{{- $_ := set $config "POLYSTORE_AUDIT_CHECKPOINTS_VERIFICATIONKEYS" (join "," .) -}}
{{- end -}}
{{- end -}}

{{- /* The service's own additions win. */ -}}
{{- range $name, $value := (index $v .service).env -}}
{{- $_ := set $config $name (toString $value) -}}
{{- end -}}
{{- toJson (dict "config" $config "credentials" $credentials) -}}
{{- end -}}

{{/* polystore.surrealdb.* for one database. Takes (dict "root" $ "database" "catalog"). */}}
{{- define "polystore.surrealdbEnvironment" -}}
{{- $s := .root.Values.surrealdb -}}
POLYSTORE_SURREALDB_URL: {{ include "polystore.surrealdb.url" .root | quote }}
{{- if include "polystore.surrealdb.tls" .root }}
{{- /* A trust-only SSL bundle of the mounted CA, which the SurrealDB client verifies the server with. */}}
SPRING_SSL_BUNDLE_PEM_SURREALDB_TRUSTSTORE_CERTIFICATE: {{ printf "/etc/polystore/tls/surrealdb/%s" $s.caSecret.key | quote }}
POLYSTORE_SURREALDB_SSLBUNDLE: "surrealdb"
{{- end }}
POLYSTORE_SURREALDB_NAMESPACE: {{ $s.namespace | quote }}
POLYSTORE_SURREALDB_DATABASE: {{ .database | quote }}
POLYSTORE_SURREALDB_USERNAME: {{ ternary "root" $s.username .root.Values.dev.enabled | quote }}
{{- if and $s.authNamespace (not .root.Values.dev.enabled) }}
POLYSTORE_SURREALDB_AUTHNAMESPACE: {{ $s.authNamespace | quote }}
{{- end }}
{{- if and $s.authDatabase (not .root.Values.dev.enabled) }}
POLYSTORE_SURREALDB_AUTHDATABASE: {{ $s.authDatabase | quote }}
{{- end }}
{{- end -}}
