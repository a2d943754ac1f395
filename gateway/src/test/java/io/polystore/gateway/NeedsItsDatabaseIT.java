package io.polystore.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Its database holds the accounts and the clients: without it the gateway does not start, and says where it looked. */
class NeedsItsDatabaseIT {

    @Test
    void refusesToStartWithoutItsDatabaseNamingIt() throws IOException {
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/gateway";

        assertThatThrownBy(() -> new SpringApplicationBuilder(GatewayApplication.class).profiles("local")
                .run("--server.port=0", "--spring.datasource.url=" + url, "--spring.kafka.bootstrap-servers=127.0.0.1:9",
                        "--polystore.identity.signing-keys[0].id=test-key-active",
                        "--polystore.identity.signing-keys[0].location=classpath:keys/active.jwk.json",
                        "--polystore.identity.demo-tokens-directory=target/demo-tokens").close())
                .hasStackTraceContaining("Cannot reach PostgreSQL at " + url);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
