# syntax=docker/dockerfile:1.7
#
# The image of any one of Polystore's five services, built the same way for all of them:
#
#   docker build --build-arg SERVICE=order-service --build-arg SERVICE_PORT=8081 -t polystore/order-service:0.1.0-SNAPSHOT .
#
# `docker compose build` builds all five (see docker-compose.yml). The build stage compiles the whole reactor once
# and does not depend on SERVICE, so BuildKit builds it once and shares it between the five images; Maven's
# repository lives in a BuildKit cache mount, so a rebuild downloads nothing again. Each image holds the Boot jar's
# layers, least often changed first, so that a code change rebuilds and ships only the small application layer.

ARG BUILD_IMAGE=eclipse-temurin:21-jdk-noble
# Distroless: a JRE 21 and nothing else, no shell, no package manager; "nonroot" is uid/gid 65532.
ARG RUNTIME_IMAGE=gcr.io/distroless/java21-debian12:nonroot

FROM ${BUILD_IMAGE} AS build
WORKDIR /workspace
# Only poms, main sources and the health probe reach this stage (see .dockerignore).
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw --batch-mode --no-transfer-progress -Dmaven.test.skip=true \
        --projects gateway,order-service,catalog-service,sync-service,audit-service --also-make package \
    && mkdir jars \
    && for module in gateway order-service catalog-service sync-service audit-service; do \
           cp "$module/target/$module-"*.jar "jars/$module.jar"; \
       done \
    && javac --release 21 -d healthcheck docker/HealthProbe.java

FROM build AS layers
ARG SERVICE
ARG SERVICE_PORT
RUN if [ ! -f "jars/$SERVICE.jar" ] || [ -z "$SERVICE_PORT" ]; then \
        echo "Build with --build-arg SERVICE=<gateway|order-service|catalog-service|sync-service|audit-service>" \
             "--build-arg SERVICE_PORT=<its port: 8080|8081|8082|8083|8084>; got SERVICE='$SERVICE' SERVICE_PORT='$SERVICE_PORT'" >&2; \
        exit 1; \
    fi \
    && java -Djarmode=tools -jar "jars/$SERVICE.jar" extract --layers --launcher --destination /layers

FROM ${RUNTIME_IMAGE}
ARG SERVICE
ARG SERVICE_PORT
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
ARG SOURCE_URL=unknown
LABEL org.opencontainers.image.title="polystore-${SERVICE}" \
      org.opencontainers.image.description="Polystore ${SERVICE}: a Spring Boot service of the Polystore platform" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.base.name="gcr.io/distroless/java21-debian12:nonroot"
WORKDIR /app
# Root-owned and read-only to the service's user: the service cannot change its own code.
COPY --from=layers /layers/dependencies/ ./
COPY --from=layers /layers/spring-boot-loader/ ./
COPY --from=layers /layers/snapshot-dependencies/ ./
COPY --from=layers /layers/application/ ./
COPY --from=build /workspace/healthcheck/ /opt/healthcheck/
# The heap follows the container's memory limit; an OutOfMemoryError ends the JVM, so that the container restarts
# instead of limping on.
ENV SERVER_PORT=${SERVICE_PORT} \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"
EXPOSE ${SERVICE_PORT}
USER 65532:65532
# No shell here: the probe is a small Java program (docker/HealthProbe.java) on a tiny heap.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["/usr/bin/java", "-Xmx16m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", "/opt/healthcheck", "HealthProbe", "/actuator/health/liveness"]
ENTRYPOINT ["/usr/bin/java", "org.springframework.boot.loader.launch.JarLauncher"]
