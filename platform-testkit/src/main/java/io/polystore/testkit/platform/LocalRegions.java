package io.polystore.testkit.platform;

import io.polystore.testkit.kafka.MirrorMakerProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Several regions on this machine, side by side: each a complete {@link LocalPlatform} (its own PostgreSQL, Kafka,
 * SurrealDB and five services) on its own ports and in its own data directory {@code <data>/region-<k>}, its services
 * told their region ({@code polystore.region.name=region-<k>}) and the catalog's ({@code
 * polystore.region.catalog-region=region-1}), their peers ({@code polystore.region.peers}: every other region) and
 * every region's gateway ({@code polystore.region.gateways}: trusted as an issuer, forwarded to); and
 * one {@link MirrorMakerProcess} mirroring {@code catalog.replication} from region-1's Kafka into every other region's,
 * as {@code region-1.catalog.replication}, and every region's {@code catalog.transfers} (stock sent to another region)
 * and {@code orders.history} (its orders' masked records, which the others keep a read-only replica of) into every
 * other region's, as {@code region-<k>.catalog.transfers} and {@code region-<k>.orders.history}, and every region's
 * announcement of itself ({@code regions}). A region can be added while the others run ({@link #addRegion()}), with a
 * MirrorMaker of its own for its flows. It composes platforms: how a platform starts is {@link LocalPlatform}'s
 * business alone.
 */
public final class LocalRegions implements AutoCloseable {

    public static final int MAX_REGIONS = 3;
    /**
     * Region {@code k}'s ports are the first region's plus {@code (k - 1) * 100}: clear of the 10 per further instance
     * (at most 5 instances), the pairs of further Kafka brokers and the PostgreSQL standby that a topology adds.
     */
    public static final int PORT_STEP = 100;
    /** Where the global catalog is written; the other regions receive it by replication. */
    public static final String CATALOG_REGION = "region-1";
    /** platform-events' {@code Topics.CATALOG_REPLICATION}: the catalog's records as they change, in region-1. */
    public static final String CATALOG_REPLICATION = "catalog.replication";
    /** platform-events' {@code Topics.CATALOG_TRANSFERS}: stock a region sent to another or asked of another, in that region. */
    public static final String CATALOG_TRANSFERS = "catalog.transfers";
    /** platform-events' {@code Topics.ORDER_HISTORY}: every order's masked record as it changes, in its home region. */
    public static final String ORDER_HISTORY = "orders.history";
    /** platform-events' {@code Topics.REGIONS}: each region's announcement of itself (its name and gateway). */
    public static final String REGIONS = "regions";
    /** catalog-service's consumer group: the one that applies the catalog's replication in a region. */
    static final String CATALOG_GROUP = "catalog-service";
    private static final Duration CATALOG_TIMEOUT = Duration.ofMinutes(3);

    private final Options options;
    /** Region k's platform at k - 1; a region started again replaces its killed platform. */
    private final List<LocalPlatform> platforms;
    /** The first one mirrors between the regions started together; each region added starts one more for its flows. */
    private final List<MirrorMakerProcess> mirrorMakers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** close()'s own lock: addRegion and restart hold this object's for minutes. */
    private final Object closing = new Object();
    private final Thread shutdownHook = new Thread(this::close, "stop-regions");

    /**
     * @param repository        the project's root (each service's jar in {@code <module>/target/})
     * @param dataDirectory     region {@code k} keeps its data in {@code <dataDirectory>/region-<k>}, MirrorMaker in
     *                          {@code <dataDirectory>/mirror-maker}
     * @param ports             each region's ports, region-1's first: as many regions as ports, 1 to 3
     * @param progress          told each step, each line prefixed with its region
     * @param serviceProperties Spring properties for every service of every region, besides the region's own
     * @param topology          every region's: how many instances of each service (one PostgreSQL server and one
     *                          Kafka broker per region)
     */
    public record Options(Path repository, Path dataDirectory, List<PlatformPorts> ports, Consumer<String> progress,
                          Map<String, String> serviceProperties, Topology topology) {

        public Options {
            ports = List.copyOf(ports);
            serviceProperties = Map.copyOf(serviceProperties);
            if (ports.isEmpty() || ports.size() > MAX_REGIONS) {
                throw new IllegalArgumentException("1 to " + MAX_REGIONS + " regions, not " + ports.size());
            }
            if (topology.postgresStandby() || topology.kafkaBrokers() > 1) {
                throw new IllegalArgumentException("Regions run with one PostgreSQL server and one Kafka broker each:"
                        + " the high-availability topology (--ha) is not supported with regions yet");
            }
        }

        public Options(Path repository, Path dataDirectory, List<PlatformPorts> ports, Consumer<String> progress) {
            this(repository, dataDirectory, ports, progress, Map.of(), Topology.single());
        }

        public int regions() {
            return ports.size();
        }
    }

    private LocalRegions(Options options, List<LocalPlatform> platforms, MirrorMakerProcess mirrorMaker) {
        this.options = options;
        this.platforms = new CopyOnWriteArrayList<>(platforms);
        if (mirrorMaker != null) {
            mirrorMakers.add(mirrorMaker);
        }
    }

    /** {@code region-<k>}, 1 for the first. */
    public static String regionName(int region) {
        return "region-" + region;
    }

    /** The first region on {@code first}, each further one {@link #PORT_STEP} above the one before. */
    public static List<PlatformPorts> steppedPorts(PlatformPorts first, int regions) {
        return IntStream.range(0, regions).mapToObj(region -> first.shiftedBy(region * PORT_STEP)).toList();
    }

    /**
     * Starts every region's platform at once, then MirrorMaker (with two regions or more), and returns when all
     * services are ready and the catalog's records flow from region-1 to the others.
     *
     * @throws IllegalStateException naming what did not start; whatever had started is stopped again
     */
    public static LocalRegions start(Options options) {
        List<CompletableFuture<LocalPlatform>> starting = IntStream.rangeClosed(1, options.regions())
                .mapToObj(region -> CompletableFuture.supplyAsync(() -> LocalPlatform.start(platformOptions(options, region)),
                        task -> Thread.ofPlatform().name("start " + regionName(region)).start(task)))
                .toList();
        List<LocalPlatform> platforms = new ArrayList<>();
        RuntimeException failure = null;
        for (int region = 1; region <= starting.size(); region++) {
            try {
                platforms.add(starting.get(region - 1).join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime ? runtime : e;
                if (failure == null) {
                    failure = new IllegalStateException(regionName(region) + " did not start: " + cause.getMessage(), cause);
                }
            }
        }
        if (failure != null) {
            closeAll(platforms);
            throw failure;
        }
        MirrorMakerProcess mirrorMaker = null;
        if (platforms.size() > 1) {
            try {
                long begin = System.nanoTime();
                mirrorMaker = MirrorMakerProcess.start(options.dataDirectory().resolve("mirror-maker"),
                        mirrorMakerOptions(platforms, options.topology()));
                options.progress().accept(String.format("%-32s up in %5.1f s", "MirrorMaker 2 from " + CATALOG_REGION,
                        (System.nanoTime() - begin) / 1e9));
            } catch (RuntimeException e) {
                closeAll(platforms);
                throw e;
            }
        }
        LocalRegions regions = new LocalRegions(options, platforms, mirrorMaker);
        Runtime.getRuntime().addShutdownHook(regions.shutdownHook);
        return regions;
    }

    /** Region {@code k}'s platform: its data directory, ports, progress prefix and region properties. */
    static LocalPlatform.Options platformOptions(Options options, int region) {
        return platformOptions(options, options.ports(), region);
    }

    /**
     * Region {@code k}'s platform among the regions on {@code ports}: every other one is its peer and every one's
     * gateway is listed. A region added later is not configured in the running ones: they learn of it from its
     * announcement (platform-service-defaults' {@code KnownRegions}).
     */
    static LocalPlatform.Options platformOptions(Options options, List<PlatformPorts> ports, int region) {
        String name = regionName(region);
        Map<String, String> properties = new HashMap<>(options.serviceProperties());
        properties.put("polystore.region.name", name);
        properties.put("polystore.region.catalog-region", CATALOG_REGION);
        properties.put("polystore.region.peers", String.join(",", IntStream.rangeClosed(1, ports.size())
                .filter(peer -> peer != region).mapToObj(LocalRegions::regionName).toList()));
        // Every region's gateway, the issuer of its customers' tokens (its address, as LocalPlatform gives it):
        // trusted everywhere, and where a customer's home-region-only requests are forwarded.
        for (int other = 1; other <= ports.size(); other++) {
            properties.put("polystore.region.gateways." + regionName(other),
                    "http://localhost:" + ports.get(other - 1).gateway());
        }
        return new LocalPlatform.Options(options.repository(), options.dataDirectory().resolve(name),
                ports.get(region - 1), line -> options.progress().accept(name + ": " + line), properties,
                options.topology());
    }

    /**
     * Between every two regions, both ways: the sender's stock transfers and its orders' masked history; from
     * region-1, the catalog's replication topic too.
     */
    static MirrorMakerProcess.Options mirrorMakerOptions(List<LocalPlatform> platforms, Topology topology) {
        return mirrorMakerOptionsFor(platforms.stream().map(platform -> platform.infrastructure().kafka().bootstrapServers())
                .toList(), topology);
    }

    /** @param bootstrapServers each region's Kafka, region-1's first */
    static MirrorMakerProcess.Options mirrorMakerOptionsFor(List<String> bootstrapServers, Topology topology) {
        Map<String, String> clusters = new LinkedHashMap<>();
        for (int region = 1; region <= bootstrapServers.size(); region++) {
            clusters.put(regionName(region), bootstrapServers.get(region - 1));
        }
        List<MirrorMakerProcess.Flow> flows = new ArrayList<>();
        for (int source = 1; source <= bootstrapServers.size(); source++) {
            for (int target = 1; target <= bootstrapServers.size(); target++) {
                if (target != source) {
                    flows.add(flow(source, target));
                }
            }
        }
        return new MirrorMakerProcess.Options(clusters, flows, topology.topicReplicas());
    }

    /**
     * The flows that region {@code k}, added to the regions before it, needs: from each of them to it and from it to
     * each of them. The flows between the regions before it run on as they are.
     *
     * @param bootstrapServers each region's Kafka, region-1's first, region {@code k}'s last
     */
    static MirrorMakerProcess.Options joiningMirrorMakerOptionsFor(List<String> bootstrapServers, Topology topology) {
        Map<String, String> clusters = new LinkedHashMap<>();
        for (int region = 1; region <= bootstrapServers.size(); region++) {
            clusters.put(regionName(region), bootstrapServers.get(region - 1));
        }
        int joining = bootstrapServers.size();
        List<MirrorMakerProcess.Flow> flows = new ArrayList<>();
        for (int other = 1; other < joining; other++) {
            flows.add(flow(other, joining));
            flows.add(flow(joining, other));
        }
        return new MirrorMakerProcess.Options(clusters, flows, topology.topicReplicas());
    }

    /** What a region sends another: its stock transfers, its orders' history, its announcement; region-1 its catalog too. */
    private static MirrorMakerProcess.Flow flow(int source, int target) {
        List<String> topics = regionName(source).equals(CATALOG_REGION)
                ? List.of(CATALOG_REPLICATION, CATALOG_TRANSFERS, ORDER_HISTORY, REGIONS)
                : List.of(CATALOG_TRANSFERS, ORDER_HISTORY, REGIONS);
        return new MirrorMakerProcess.Flow(regionName(source), regionName(target), topics);
    }

    /**
     * Adds one region while the others run on (none is stopped or reconfigured): region {@code k} (one more than
     * there are) on the first region's ports plus {@code (k - 1) * 100}, with every region before it as its peers and
     * every region's gateway listed; then a MirrorMaker of its own for the flows between it and every region before it
     * ({@code <data>/mirror-maker-region-<k>}). The running regions take it as a peer from its announcement, which
     * that MirrorMaker mirrors to them. Returns once the new region's catalog-service has applied the whole catalog as
     * region-1 held it when MirrorMaker started.
     *
     * @throws IllegalStateException when it would be more than {@link #MAX_REGIONS}, or the region, its MirrorMaker or
     *                               its catalog do not come in time; what was started for it is stopped again
     */
    public synchronized LocalPlatform addRegion() {
        return addRegion(options.ports().getFirst().shiftedBy(platforms.size() * PORT_STEP));
    }

    /** As {@link #addRegion()}, the new region on these ports. */
    public synchronized LocalPlatform addRegion(PlatformPorts newRegionPorts) {
        if (closed.get()) {
            throw new IllegalStateException("The regions are closed");
        }
        int region = platforms.size() + 1;
        if (region > MAX_REGIONS) {
            throw new IllegalArgumentException("1 to " + MAX_REGIONS + " regions, not " + region);
        }
        String name = regionName(region);
        List<PlatformPorts> ports = new ArrayList<>(platforms.stream().map(platform -> platform.options().ports()).toList());
        ports.add(newRegionPorts);
        long begin = System.nanoTime();
        LocalPlatform added = LocalPlatform.start(platformOptions(options, ports, region));
        MirrorMakerProcess mirrorMaker = null;
        try {
            List<String> bootstrapServers = new ArrayList<>(platforms.stream()
                    .map(platform -> platform.infrastructure().kafka().bootstrapServers()).toList());
            bootstrapServers.add(added.infrastructure().kafka().bootstrapServers());
            long mirrorBegin = System.nanoTime();
            mirrorMaker = MirrorMakerProcess.start(options.dataDirectory().resolve("mirror-maker-" + name),
                    joiningMirrorMakerOptionsFor(bootstrapServers, options.topology()));
            options.progress().accept(String.format("%-32s up in %5.1f s", "MirrorMaker 2 for " + name,
                    (System.nanoTime() - mirrorBegin) / 1e9));
            CatalogCaughtUp.await(platforms.getFirst().infrastructure().kafka().bootstrapServers(),
                    added.infrastructure().kafka().bootstrapServers(), CATALOG_REGION, CATALOG_REPLICATION,
                    CATALOG_GROUP, CATALOG_TIMEOUT);
        } catch (RuntimeException e) {
            if (mirrorMaker != null) {
                mirrorMaker.close();
            }
            added.close();
            throw new IllegalStateException(name + " did not join: " + e.getMessage(), e);
        }
        mirrorMakers.add(mirrorMaker);
        platforms.add(added);
        if (closed.get()) {
            // Closed while it joined (Ctrl-C, say): close() may not have seen it, so it is stopped here (once).
            mirrorMaker.close();
            added.close();
            throw new IllegalStateException("The regions were closed while " + name + " joined");
        }
        options.progress().accept(String.format("%-32s joined in %5.1f s", name, (System.nanoTime() - begin) / 1e9));
        return added;
    }

    /** Every region's platform, region-1's first. */
    public List<LocalPlatform> platforms() {
        return List.copyOf(platforms);
    }

    /** Region {@code k}'s platform, 1 for the first. */
    public LocalPlatform region(int region) {
        return platforms.get(region - 1);
    }

    /** The platform of the region with this name, e.g. {@code region-2}. */
    public LocalPlatform region(String name) {
        for (int region = 1; region <= platforms.size(); region++) {
            if (regionName(region).equals(name)) {
                return platforms.get(region - 1);
            }
        }
        throw new IllegalArgumentException("No region " + name + "; the regions are region-1 to region-" + platforms.size());
    }

    /**
     * Region {@code k} lost at once, as a data centre is: {@link LocalPlatform#kill()} (SIGKILL to its services, its
     * Kafka broker, its SurrealDB engine and its PostgreSQL). MirrorMaker runs apart from the regions and goes on;
     * the other regions go on. {@link #restart} starts the region again.
     */
    public void kill(int region) {
        region(region).kill();
    }

    /**
     * Starts region {@code k} again after {@link #kill}, as it was started (on its data directory and ports, with its
     * properties), and returns once its services are ready; from then on {@link #region(int)} is the new platform.
     *
     * @throws IllegalStateException when it does not start (or still runs: its ports are taken)
     */
    public synchronized LocalPlatform restart(int region) {
        if (closed.get()) {
            throw new IllegalStateException("The regions are closed");
        }
        LocalPlatform started = LocalPlatform.start(region(region).options());
        platforms.set(region - 1, started);
        if (closed.get()) {
            started.close();
            throw new IllegalStateException("The regions were closed while " + regionName(region) + " started again");
        }
        return started;
    }

    /** MirrorMaker between the regions started together; none with one region (see {@link #mirrorMakers()}). */
    public Optional<MirrorMakerProcess> mirrorMaker() {
        return mirrorMakers.isEmpty() ? Optional.empty() : Optional.of(mirrorMakers.getFirst());
    }

    /** Every MirrorMaker running: the one of the regions started together (if two or more), one per region added. */
    public List<MirrorMakerProcess> mirrorMakers() {
        return List.copyOf(mirrorMakers);
    }

    public Options options() {
        return options;
    }

    /** Resident memory of everything the regions run (this JVM with all it started, and every PostgreSQL). */
    public long residentMemoryBytes() {
        Set<Long> roots = new HashSet<>(Set.of(ProcessHandle.current().pid()));
        platforms.forEach(platform -> roots.addAll(platform.postgresPids()));
        return ResidentMemory.ofTrees(roots);
    }

    /**
     * Stops MirrorMaker, then every region's platform at once. Not held up by a region joining (which can take minutes):
     * that one is stopped by {@link #addRegion} once it sees the regions closed. A second caller (the shutdown hook)
     * returns once everything has stopped.
     */
    @Override
    public void close() {
        synchronized (closing) {
            closeOnce();
        }
    }

    private void closeOnce() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // This is the hook running.
        }
        mirrorMakers.forEach(MirrorMakerProcess::close);
        // A region killed and not started again is already stopped: its close does nothing.
        closeAll(platforms);
    }

    private static void closeAll(List<LocalPlatform> platforms) {
        CompletableFuture.allOf(platforms.stream().map(platform -> CompletableFuture.runAsync(platform::close,
                        task -> Thread.ofPlatform().name("stop " + platform.dataDirectory().getFileName()).start(task)))
                .toArray(CompletableFuture[]::new)).join();
    }
}
