package io.polystore.servicedefaults.security;

import io.polystore.servicedefaults.region.RegionProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The keys of every other region's gateway listed in {@code polystore.region.gateways}, by issuer: fetched from the
 * start and kept fresh every {@link #INTERVAL}, not on a first token, so that a customer of a region that went down
 * before this service saw any of its tokens is still recognised here.
 */
final class OtherRegionsKeys implements SmartLifecycle {

    /** How often the keys are looked at: a fetch only when the cached ones are due (Nimbus's 5 minutes) or missing. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(OtherRegionsKeys.class);

    private final Map<String, GatewayKeys> byIssuer = new LinkedHashMap<>();
    private ScheduledExecutorService fetching;

    OtherRegionsKeys(RegionProperties region, RestClient http) {
        region.otherGateways().values().forEach(gateway -> byIssuer.put(gateway.toString(), new GatewayKeys(gateway.toString(), http)));
    }

    Map<String, GatewayKeys> byIssuer() {
        return byIssuer;
    }

    @Override
    public synchronized void start() {
        if (!byIssuer.isEmpty() && fetching == null) {
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
