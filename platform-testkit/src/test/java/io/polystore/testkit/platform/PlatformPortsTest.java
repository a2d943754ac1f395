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
    void aHighlyAvailableTopologyHasRoomForEveryInstanceStandbyAndBroker() {
        Topology topology = Topology.highlyAvailable(2);
        PlatformPorts ports = PlatformPorts.free(topology);

        assertThat(ports.byUser(topology)).containsEntry("order-service instance 2", ports.orders() + 10)
                .containsEntry("PostgreSQL's standby", ports.postgres() + 1)
                .containsEntry("Kafka broker 3", ports.kafka() + 4).containsEntry("Kafka broker 3's controller", ports.kafka() + 5)
                .hasSize(1 + 1 + 6 + 1 + 10);
        assertThat(new HashSet<>(ports.byUser(topology).values())).hasSize(ports.byUser(topology).size());
        ports.requireFree(topology);
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
