package io.polystore.gateway.identity;

import io.polystore.gateway.GatewayApplication;
import io.polystore.gateway.identity.internal.SigningKeyException;
import io.polystore.gateway.support.GatewayDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Outside the local profile, a gateway that would issue tokens refuses to start without a signing key. */
class MissingSigningKeyIT {

    @Test
    void refusesToStartWithoutASigningKey() {
        SpringApplicationBuilder gateway = new SpringApplicationBuilder(GatewayApplication.class);

        // A client, so that the key is all that is missing.
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--polystore.gateway.audit.enabled=false",
                "--polystore.identity.clients.machine.grant-types=client_credentials",
                "--polystore.identity.clients.machine.roles=AUDITOR",
                "--polystore.identity.clients.machine.secret={bcrypt}" + new BCryptPasswordEncoder(12).encode("machine-secret")));
        arguments.addAll(GatewayDatabase.arguments());

        assertThatThrownBy(() -> gateway.run(arguments.toArray(String[]::new)).close())
                .rootCause()
                .isInstanceOf(SigningKeyException.class)
                .hasMessage("No signing key is configured: the gateway cannot issue tokens.");
    }
}
