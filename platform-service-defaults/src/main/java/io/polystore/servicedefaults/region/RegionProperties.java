package io.polystore.servicedefaults.region;

import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.util.List;

/**
 * {@code polystore.region.*}: the region this service runs in, and the region where the global catalog is written.
 * One platform is one region; with several, each runs its own platform and MirrorMaker 2 carries events between them.
 *
 * @param name          this region, as it appears in the {@code Polystore-Region} response header, in customers'
 *                      {@code region} claim and as the prefix of the topics mirrored from it
 * @param catalogRegion where products and categories are written; the other regions hold replicas. This region when
 *                      not set
 * @param peers         the other regions, by name: where this region may send stock ({@code POST
 *                      /products/{id}/inventory/transfers}) and whose mirrored transfer topics it reads. Never this
 *                      region itself; none by default (a single region)
 */
@Validated
@ConfigurationProperties("polystore.region")
public record RegionProperties(@DefaultValue("region-1") @Pattern(regexp = NAME, message = NAME_RULE) String name,
                               @Nullable @Pattern(regexp = NAME, message = NAME_RULE) String catalogRegion,
                               @Nullable List<@Pattern(regexp = NAME, message = NAME_RULE) String> peers) {

    /** Lower-case letters, digits and hyphens: a region's name is part of topic names, headers and claims. */
    public static final String NAME = "[a-z][a-z0-9-]{0,31}";
    private static final String NAME_RULE = "must be 1 to 32 lower-case letters, digits or hyphens, starting with a letter";

    public RegionProperties {
        if (catalogRegion == null || catalogRegion.isBlank()) {
            catalogRegion = name;
        }
        peers = peers == null ? List.of() : peers.stream().distinct().toList();
        if (peers.contains(name)) {
            throw new IllegalArgumentException("polystore.region.peers names " + name
                    + ", this region itself: peers are the other regions");
        }
    }

    /** Whether {@code region} is one of this region's peers (never this region itself). */
    public boolean isPeer(String region) {
        return peers.contains(region);
    }

    /** Whether the global catalog is written here rather than replicated from another region. */
    public boolean writesCatalog() {
        return name.equals(catalogRegion);
    }
}
