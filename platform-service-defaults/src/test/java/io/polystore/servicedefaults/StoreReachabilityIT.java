package io.polystore.servicedefaults;

import io.polystore.servicedefaults.sample.SampleApplication;
import io.polystore.servicedefaults.startup.StoreUnreachableException;
import io.polystore.testkit.SharedServers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A service that cannot reach a store, or its port, stops at once and says which address failed. */
class StoreReachabilityIT {

    @Test
    void unreachablePostgresIsNamedWithItsAddress() throws IOException {
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/orders";

        assertThatThrownBy(() -> start("--spring.datasource.url=" + url,
                "--spring.kafka.bootstrap-servers=" + SharedServers.kafka().bootstrapServers()))
                .hasStackTraceContaining("Cannot reach PostgreSQL at " + url)
                .satisfies(failure -> assertThat(findStoreFailure(failure).store()).isEqualTo("PostgreSQL"));
    }

    @Test
    void unreachableKafkaIsNamedWithItsAddress() throws IOException {
        String bootstrapServers = "127.0.0.1:" + closedPort();

        assertThatThrownBy(() -> start("--spring.datasource.url=" + postgresUrl(),
                "--spring.kafka.bootstrap-servers=" + bootstrapServers))
                .hasStackTraceContaining("Cannot reach Kafka at [" + bootstrapServers + "]");
    }

    @Test
    void aPortInUseIsNamed() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> start("--server.port=" + taken.getLocalPort(), "--server.address=127.0.0.1",
                    "--spring.datasource.url=" + postgresUrl(),
                    "--spring.kafka.bootstrap-servers=" + SharedServers.kafka().bootstrapServers()))
                    .hasStackTraceContaining("Port " + taken.getLocalPort() + " is already in use");
        }
    }

    private static void start(String... args) {
        SpringApplication application = new SpringApplication(SampleApplication.class);
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--spring.application.name=sample-service";
        all[args.length + 1] = "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + SharedServers.tokens().jwkSetUri();
        application.run(all).close();
    }

    private static String postgresUrl() {
        SharedServers.postgres().createDatabaseIfMissing("sample");
        return SharedServers.postgres().jdbcUrl("sample") + "?user=postgres&password=postgres";
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static StoreUnreachableException findStoreFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StoreUnreachableException store) {
                return store;
            }
        }
        throw new AssertionError("No StoreUnreachableException in " + failure);
    }
}
