package io.polystore.catalog.inventory;

import io.polystore.servicedefaults.region.RegionProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/**
 * Units of this region's available stock to send to another region.
 *
 * @param toRegion the receiving region: one of this region's peers ({@code polystore.region.peers})
 * @param quantity how many, at least 1 and no more than are available here
 */
public record StockTransferRequest(@NotNull @Pattern(regexp = RegionProperties.NAME, message = "must be a region's name") String toRegion,
                                   @NotNull @Positive @Max(1_000_000_000) Integer quantity) {
}
