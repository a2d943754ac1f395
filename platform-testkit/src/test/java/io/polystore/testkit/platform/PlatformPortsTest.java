package io.polystore.testkit.platform;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Scanner;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    void portsOnceHandedOutAreNotHandedOutAgainEvenWhenFreedAndStayBelowTheEphemeralRange() {
        Topology topology = Topology.highlyAvailable(5);
        Set<Integer> handedOut = new HashSet<>();
        for (int platform = 0; platform < 50; platform++) {
            PlatformPorts ports = PlatformPorts.free(platform % 2 == 0 ? topology : Topology.single());
            for (int port : ports.byUser(topology).values()) {
                assertThat(handedOut.add(port)).as("port %d handed out twice", port).isTrue();
            }
        }
        for (int port = 0; port < 20; port++) {
            assertThat(handedOut.add(PlatformPorts.freePort())).isTrue();
        }
        PlatformPorts.PortRange range = PlatformPorts.PortRange.outsideEphemeral(60);
        assertThat(handedOut).allSatisfy(port -> assertThat(port).isBetween(range.low(), range.high()));
    }

    @Test
    void theEphemeralRangeIsTheSystems() throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.exists(range), "Linux's ephemeral range");
        try (Scanner bounds = new Scanner(range)) {
            assertThat(PlatformPorts.PortRange.ephemeral()).containsExactly(bounds.nextInt(), bounds.nextInt());
        }
    }

    @Test
    void theRangeIsBelowTheEphemeralOneOrAboveItWhenThereIsNoRoomBelow() {
        assertThat(PlatformPorts.PortRange.outside(32_768, 60_999, 60)).isEqualTo(new PlatformPorts.PortRange(20_000, 32_767));
        assertThat(PlatformPorts.PortRange.outside(49_152, 65_535, 60)).isEqualTo(new PlatformPorts.PortRange(20_000, 49_151));
        assertThat(PlatformPorts.PortRange.outside(15_000, 60_000, 60)).isEqualTo(new PlatformPorts.PortRange(60_001, 65_535));
        assertThat(PlatformPorts.PortRange.outside(10_000, 65_535, 60)).isEqualTo(new PlatformPorts.PortRange(20_000, 65_535));
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
