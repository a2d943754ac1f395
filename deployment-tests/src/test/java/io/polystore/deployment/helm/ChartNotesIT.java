package io.polystore.deployment.helm;

import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code helm install} prints: how to reach the gateway and Swagger UI, what is missing, and never a secret. */
class ChartNotesIT {

    @Test
    void withoutExposureTheNotesTellHowToPortForwardAndWhichCredentialsToProvide() {
        String notes = PolystoreChart.notes("default");

        assertThat(notes)
                .contains("kubectl --namespace polystore port-forward service/polystore-gateway 8080:8080")
                .contains("http://localhost:8080/swagger-ui.html")
                .contains("helm test polystore --namespace polystore")
                .contains("Secret \"polystore-credentials\"")
                .contains("kubectl --namespace polystore create secret generic polystore-credentials \\\n")
                .contains("    --from-literal=postgresql-orders-password=<value> \\\n", "    --from-literal=order-service-master-key=<value> \\\n",
                        "    --from-file=gateway-signing-key-0=<PEM file> \\\n", "    --from-literal=surrealdb-password=<value>");
    }

    @Test
    void behindAnIngressTheNotesGiveThePublicAddressAndTheExternalIssuer() {
        String notes = PolystoreChart.notes("production");

        assertThat(notes)
                .contains("The gateway, the only public entry, is at https://polystore.example.com")
                .contains("Swagger UI:  https://polystore.example.com/swagger-ui.html")
                .contains("Tokens come from https://login.example.com/realms/polystore")
                .doesNotContain("port-forward")
                .doesNotContain("which this chart\ndoes not create");
    }

    @Test
    void theNotesNeverPrintACredential() {
        String notes = PolystoreChart.notes("dev");

        assertThat(notes).contains("WARNING: dev.enabled runs single-replica PostgreSQL, Kafka and SurrealDB");
        PolystoreChart.rendering("dev").all(Secret.class).stream().flatMap(secret -> Rendering.decoded(secret).values().stream())
                .forEach(value -> assertThat(notes).doesNotContain(value));
    }
}
