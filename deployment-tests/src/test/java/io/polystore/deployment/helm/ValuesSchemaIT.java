package io.polystore.deployment.helm;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Values that cannot work are refused before anything is rendered, with a message that names the value and the
 * reason: values.schema.json for types, ranges and unknown keys (every object in it is closed), the templates for
 * rules across values.
 */
class ValuesSchemaIT {

    static Stream<Arguments> refusedValues() {
        return Stream.of(
                arguments("a negative number of replicas", "gateway:\n  replicas: -1\n",
                        "at '/gateway/replicas': minimum: got -1, want 0"),
                arguments("a region name that cannot prefix a topic", "region:\n  name: EU West\n",
                        "at '/region/name'"),
                arguments("a peer region name that cannot prefix a topic", "region:\n  peers: [US East]\n",
                        "at '/region/peers/0'"),
                arguments("a gateway of no region", "region:\n  gateways:\n    US: https://us.example\n",
                        "invalid propertyName 'US'"),
                arguments("a gateway that is no http(s) URL", "region:\n  gateways:\n    us-east: ftp://us.example\n",
                        "/region/gateways/us-east"),
                arguments("a port given as a string", "postgresql:\n  port: \"5432\"\n",
                        "at '/postgresql/port': got string, want integer"),
                arguments("an unknown key", "orderService:\n  replica: 3\n",
                        "at '/orderService': additional properties 'replica' not allowed"),
                arguments("an unknown top-level key", "ingres:\n  enabled: true\n",
                        "additional properties 'ingres' not allowed"),
                arguments("an unknown SSL mode", "postgresql:\n  sslMode: strict\n",
                        "at '/postgresql/sslMode': value must be one of"),
                arguments("a role the platform does not have", "identity:\n  clients:\n    app:\n      grantTypes: [client_credentials]\n      roles: [SUPERUSER]\n",
                        "at '/identity/clients/app/roles/0': value must be one of"),
                arguments("a plain secret instead of a hash", "identity:\n  clients:\n    app:\n      secret: polystore\n      grantTypes: [client_credentials]\n",
                        "at '/identity/clients/app/secret'"),
                arguments("people configured as values: their accounts live in the gateway's database", "identity:\n  users: {}\n",
                        "additional properties 'users' not allowed"),
                arguments("a first administrator no one could sign up as", "identity:\n  initialAdmin:\n    username: Admin\n",
                        "at '/identity/initialAdmin/username'"),
                arguments("a grace period shorter than the services' shutdown", "pods:\n  terminationGracePeriodSeconds: 10\n",
                        "at '/pods/terminationGracePeriodSeconds': minimum: got 10, want 30"),
                arguments("bootstrap servers without ports", "kafka:\n  bootstrapServers: kafka\n",
                        "at '/kafka/bootstrapServers'"),
                arguments("a credential given twice", "postgresql:\n  orders:\n    password: {value: x, existingSecret: theirs}\n",
                        "postgresql.orders.password: give either value or existingSecret, not both."),
                arguments("an autoscaler whose maximum is below the replicas", "orderService:\n  replicas: 4\n  autoscaling: {enabled: true, maxReplicas: 3, targetCPUUtilizationPercentage: 70}\n",
                        "orderService.autoscaling.maxReplicas (3) is below orderService.replicas (4)"),
                arguments("an Ingress without hosts", "ingress:\n  enabled: true\n",
                        "ingress.hosts: name at least one host when ingress.enabled is true."),
                arguments("an HTTPRoute without a Gateway", "httpRoute:\n  enabled: true\n",
                        "httpRoute.parentRefs: name the Gateway to attach to"),
                arguments("the built-in issuer without a signing key", "identity:\n  signingKeys: []\n",
                        "identity.signingKeys: the gateway needs at least one signing key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedValues")
    void valuesThatCannotWorkAreRefusedWithAMessageNamingThem(String what, String values, String message) throws IOException {
        Path file = Files.createTempFile(Files.createDirectories(PolystoreChart.repository().resolve("deployment-tests/target/helm")), "refused", ".yaml");
        Files.writeString(file, values);

        assertThatThrownBy(() -> PolystoreChart.template(PolystoreChart.directory(), file)).hasMessageContaining(message);
    }
}
