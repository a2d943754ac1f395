package io.polystore.testkit.platform;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalRegionsTest {

    @Test
    void eachRegionsPortsAreTheDefaultsShiftedBy100AndNoneCollideEvenWithFiveInstancesPerService() {
        List<PlatformPorts> regions = LocalRegions.steppedPorts(PlatformPorts.defaults(), LocalRegions.MAX_REGIONS);
        Topology widest = new Topology(Topology.MAX_REPLICAS, false, 1);

        assertThat(regions.get(1)).isEqualTo(new PlatformPorts(8180, 8181, 8182, 8183, 8184, 15532, 19192, 18100));
        assertThat(regions.get(2).gateway()).isEqualTo(8280);
        List<Integer> all = new ArrayList<>();
        regions.forEach(ports -> all.addAll(ports.byUser(widest).values()));
        assertThat(new HashSet<>(all)).hasSize(all.size());
    }

    @Test
    void regionKRunsInItsOwnDirectoryOnItsOwnPortsAndKnowsItsRegionAndTheCatalogRegion() {
        List<PlatformPorts> ports = LocalRegions.steppedPorts(PlatformPorts.defaults(), 2);
        List<String> progress = new ArrayList<>();
        LocalRegions.Options options = new LocalRegions.Options(Path.of("/repo"), Path.of("/data"), ports, progress::add,
                Map.of("management.tracing.sampling.probability", "0.1"), Topology.single());

        LocalPlatform.Options second = LocalRegions.platformOptions(options, 2);
        second.progress().accept("Kafka up");

        assertThat(second.dataDirectory()).isEqualTo(Path.of("/data/region-2"));
        assertThat(second.ports()).isEqualTo(ports.get(1));
        assertThat(second.serviceProperties()).containsEntry("polystore.region.name", "region-2")
                .containsEntry("polystore.region.catalog-region", "region-1")
                .containsEntry("polystore.region.peers", "region-1")
                .containsEntry("management.tracing.sampling.probability", "0.1");
        assertThat(progress).containsExactly("region-2: Kafka up");
    }

    @Test
    void everyRegionKnowsTheOthersAsPeers() {
        LocalRegions.Options options = new LocalRegions.Options(Path.of("/repo"), Path.of("/data"),
                LocalRegions.steppedPorts(PlatformPorts.defaults(), 3), line -> { });

        assertThat(LocalRegions.platformOptions(options, 1).serviceProperties())
                .containsEntry("polystore.region.peers", "region-2,region-3");
        assertThat(LocalRegions.platformOptions(options, 3).serviceProperties())
                .containsEntry("polystore.region.peers", "region-1,region-2");
    }

    @Test
    void mirrorMakerMirrorsTheCatalogFromRegion1AndTransfersAndOrderHistoryBetweenEveryTwoRegions() {
        var options = LocalRegions.mirrorMakerOptionsFor(List.of("k1:9092", "k2:9092", "k3:9092"), Topology.single());

        assertThat(options.clusters()).containsExactly(Map.entry("region-1", "k1:9092"), Map.entry("region-2", "k2:9092"),
                Map.entry("region-3", "k3:9092"));
        assertThat(options.flows()).extracting(flow -> flow.source() + ">" + flow.target() + " " + flow.topics())
                .containsExactlyInAnyOrder(
                        "region-1>region-2 [catalog.replication, catalog.transfers, orders.history, regions]",
                        "region-1>region-3 [catalog.replication, catalog.transfers, orders.history, regions]",
                        "region-2>region-1 [catalog.transfers, orders.history, regions]",
                        "region-2>region-3 [catalog.transfers, orders.history, regions]",
                        "region-3>region-1 [catalog.transfers, orders.history, regions]",
                        "region-3>region-2 [catalog.transfers, orders.history, regions]");
    }

    @Test
    void aRegionAddedGetsFlowsBetweenItAndEveryRegionBeforeItOnly() {
        var options = LocalRegions.joiningMirrorMakerOptionsFor(List.of("k1:9092", "k2:9092", "k3:9092"), Topology.single());

        assertThat(options.clusters()).containsOnlyKeys("region-1", "region-2", "region-3");
        assertThat(options.flows()).extracting(flow -> flow.source() + ">" + flow.target() + " " + flow.topics())
                .containsExactlyInAnyOrder(
                        "region-1>region-3 [catalog.replication, catalog.transfers, orders.history, regions]",
                        "region-3>region-1 [catalog.transfers, orders.history, regions]",
                        "region-2>region-3 [catalog.transfers, orders.history, regions]",
                        "region-3>region-2 [catalog.transfers, orders.history, regions]");
    }

    @Test
    void aRegionAddedKnowsTheRegionsBeforeItWhichAreNotToldOfIt() {
        LocalRegions.Options started = new LocalRegions.Options(Path.of("/repo"), Path.of("/data"),
                List.of(PlatformPorts.defaults()), line -> { });
        List<PlatformPorts> withRegion2 = LocalRegions.steppedPorts(PlatformPorts.defaults(), 2);

        assertThat(LocalRegions.platformOptions(started, withRegion2, 2).serviceProperties())
                .containsEntry("polystore.region.name", "region-2")
                .containsEntry("polystore.region.peers", "region-1")
                .containsEntry("polystore.region.gateways.region-1", "http://localhost:8080")
                .containsEntry("polystore.region.gateways.region-2", "http://localhost:8180");
        assertThat(LocalRegions.platformOptions(started, 1).serviceProperties())
                .as("region-1, started alone, learns of region-2 from its announcement")
                .containsEntry("polystore.region.peers", "")
                .doesNotContainKey("polystore.region.gateways.region-2");
    }

    @Test
    void moreThanThreeRegionsOrTheHighlyAvailableTopologyAreRefused() {
        List<PlatformPorts> four = LocalRegions.steppedPorts(PlatformPorts.defaults(), 4);
        assertThatThrownBy(() -> new LocalRegions.Options(Path.of("."), Path.of("."), four, line -> { }))
                .hasMessage("1 to 3 regions, not 4");
        assertThatThrownBy(() -> new LocalRegions.Options(Path.of("."), Path.of("."), four.subList(0, 2), line -> { },
                Map.of(), Topology.highlyAvailable(2))).hasMessageContaining("--ha");
    }

    @Test
    void everyRegionsServicesKnowEveryRegionsGatewayByItsPorts() {
        LocalRegions.Options options = new LocalRegions.Options(Path.of("/repo"), Path.of("/data"),
                LocalRegions.steppedPorts(PlatformPorts.defaults(), 3), line -> { });

        for (int region = 1; region <= 3; region++) {
            assertThat(LocalRegions.platformOptions(options, region).serviceProperties())
                    .containsEntry("polystore.region.gateways.region-1", "http://localhost:8080")
                    .containsEntry("polystore.region.gateways.region-2", "http://localhost:8180")
                    .containsEntry("polystore.region.gateways.region-3", "http://localhost:8280");
        }
    }
}
