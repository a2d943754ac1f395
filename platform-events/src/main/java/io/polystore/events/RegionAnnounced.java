package io.polystore.events;

import java.time.Instant;

/**
 * A region says that it exists and where its gateway is, so that the regions running already take it as a peer
 * without being configured again or restarted: they send it stock, read its mirrored topics and trust its gateway's
 * tokens. Every service of the region publishes it at each start on {@link Topics#REGIONS} (compacted, keyed by the
 * region: the latest announcement of each region is kept); MirrorMaker 2 mirrors it into every other region as
 * {@code <region>.regions}.
 *
 * @param region      the region's name, {@code polystore.region.name}
 * @param gatewayUrl  its gateway's public base URL, which is also the issuer of its tokens; null when the region does
 *                    not list its own gateway ({@code polystore.region.gateways})
 * @param announcedAt when the service announced it
 */
@EventType(name = "io.polystore.region.RegionAnnounced", version = 1, topic = Topics.REGIONS)
public record RegionAnnounced(String region, String gatewayUrl, Instant announcedAt) implements PolystoreEvent {

    public RegionAnnounced {
        Require.notBlank(region, "region");
        Require.nullOrNotBlank(gatewayUrl, "gatewayUrl");
        Require.notNull(announcedAt, "announcedAt");
    }

    @Override
    public String aggregateId() {
        return "region:" + region;
    }
}
