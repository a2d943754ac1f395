package io.polystore.servicedefaults.security;

import io.polystore.servicedefaults.region.KnownRegions;
import io.polystore.servicedefaults.region.RegionProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The keys of every other region's gateway listed in {@code polystore.region.gateways}, by issuer: fetched from the
 * start and kept fresh every {@link #INTERVAL}, not on a first token, so that a customer of a region that went down
 * before this service saw any of its tokens is still recognised here. A region announced at run time
 * ({@link KnownRegions}) adds its gateway, fetched from then on.
 */
final class OtherRegionsKeys implements SmartLifecycle {

    /** How often the keys are looked at: a fetch only when the cached ones are due (Nimbus's 5 minutes) or missing. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(OtherRegionsKeys.class);

    private final Map<String, GatewayKeys> byIssuer = new ConcurrentHashMap<>();
    private final RestClient http;
    private ScheduledExecutorService fetching;

    OtherRegionsKeys(RegionProperties region, @Nullable KnownRegions known, RestClient http) {
        this.http = http;
        region.otherGateways().values().forEach(this::add);
        if (known != null) {
            known.onJoin(joined -> {
                if (joined.gateway() != null) {
                    add(joined.gateway());
                }
            });
        }
    }

    /** The keys of every other region's gateway known so far, by issuer; more as regions are announced. */
    Map<String, GatewayKeys> byIssuer() {
        return byIssuer;
    }

    /** Trusts another region's gateway from now on: its keys are fetched at the next pass. */
    void add(URI gateway) {
        if (byIssuer.putIfAbsent(gateway.toString(), new GatewayKeys(gateway.toString(), http)) == null) {
            log.info("Fetching the keys of the gateway {} from now on", gateway);
        }
    }

    @Override
    public synchronized void start() {
        if (fetching == null) {
            fetching = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("other-regions-keys").factory());
            fetching.scheduleWithFixedDelay(this::fetchAll, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (fetching != null) {
            fetching.shutdownNow();
            fetching = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return fetching != null;
    }

    private void fetchAll() {
        byIssuer.values().forEach(keys -> {
            if (!keys.fetch()) {
                log.debug("No keys of the gateway {} yet: it cannot be reached", keys.issuer());
            }
        });
    }
}
