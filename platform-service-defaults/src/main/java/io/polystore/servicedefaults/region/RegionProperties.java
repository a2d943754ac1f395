package io.polystore.servicedefaults.region;

import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * @param gateways      each region's gateway by region name ({@code gateways.region-2=https://eu.shop.example}): its
 *                      public base URL, which is also the issuer ({@code iss}) of the tokens it signs. Every service
 *                      and gateway trusts the tokens of every gateway listed (each one's keys from its own discovery
 *                      document), and the gateway forwards a customer's home-region-only requests to their home
 *                      region's gateway. This region may be listed or not (its own issuer is trusted anyway). None
 *                      by default: only this region's own issuer is trusted and nothing is forwarded
 */
@Validated
@ConfigurationProperties("polystore.region")
public record RegionProperties(@DefaultValue("region-1") @Pattern(regexp = NAME, message = NAME_RULE) String name,
                               @Nullable @Pattern(regexp = NAME, message = NAME_RULE) String catalogRegion,
                               @Nullable List<@Pattern(regexp = NAME, message = NAME_RULE) String> peers,
                               @Nullable Map<String, URI> gateways) {

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
        gateways = gateways == null ? Map.of() : validGateways(gateways);
    }

    /** The regions whose gateways are listed, other than this one: where a customer of theirs is forwarded. */
    public Map<String, URI> otherGateways() {
        Map<String, URI> others = new LinkedHashMap<>(gateways);
        others.remove(name);
        return others;
    }

    /** The gateway of {@code region} when it is another region whose gateway is listed. */
    public Optional<URI> gatewayOf(String region) {
        return region.equals(name) ? Optional.empty() : Optional.ofNullable(gateways.get(region));
    }

    private static Map<String, URI> validGateways(Map<String, URI> gateways) {
        Map<String, URI> valid = new LinkedHashMap<>();
        gateways.forEach((region, url) -> {
            if (!region.matches(NAME)) {
                throw new IllegalArgumentException("polystore.region.gateways names \"" + region + "\", which is no "
                        + "region name: it " + NAME_RULE);
            }
            if (url == null || !url.isAbsolute() || url.getHost() == null
                    || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                    || url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new IllegalArgumentException("polystore.region.gateways." + region + " must be an absolute http "
                        + "or https URL without query or fragment (the gateway's public address, its tokens' issuer), "
                        + "was " + url);
            }
            valid.put(region, url);
        });
        return Map.copyOf(valid);
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
