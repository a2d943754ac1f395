package io.polystore.testkit.platform;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.HashSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlatformPortsTest {

    @Test
    void freePortsAreDistinctAndLeaveRoomForKafkasController() {
        PlatformPorts ports = PlatformPorts.free();

        assertThat(new HashSet<>(ports.byUser().values())).hasSize(ports.byUser().size());
        ports.requireFree();
    }

    @Test
    void aPortInUseIsNamedWithWhatNeedsIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            PlatformPorts free = PlatformPorts.free();
            PlatformPorts ports = new PlatformPorts(free.gateway(), free.orders(), taken.getLocalPort(), free.sync(),
                    free.audit(), free.postgres(), free.kafka(), free.surrealDb());

            assertThatThrownBy(ports::requireFree).hasMessage("Port " + taken.getLocalPort()
                    + ", needed by catalog-service, is in use by another process. Stop it, or run Polystore on other ports.");
        }
    }
}
