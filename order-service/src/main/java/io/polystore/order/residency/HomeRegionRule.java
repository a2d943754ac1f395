package io.polystore.order.residency;

import io.polystore.servicedefaults.security.TokenRules;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Data residency: a customer's orders and personal data are read and written only in their home region, which
 * their token names in its {@code region} claim (set by the gateway from their account). A token without the claim
 * (a machine's, or an external issuer's that does not set it) is taken as this region's: nothing says the customer
 * lives elsewhere, and refusing would lock out every such caller.
 */
public final class HomeRegionRule {

    private final String region;

    /** @param region this service's region ({@code polystore.region.name}) */
    public HomeRegionRule(String region) {
        this.region = region;
    }

    /**
     * Refuses the request when the customer whose data it reads or writes is the caller, named as every endpoint
     * names them ({@code authentication.name}, the token's subject), and is homed in another region.
     *
     * @param customer whose data the request concerns
     * @throws CustomerHomedElsewhereException when their data is not kept here
     */
    public void check(JwtAuthenticationToken caller, String customer) {
        String homeRegion = homeRegion(caller.getToken());
        if (customer.equals(caller.getName()) && !homeRegion.equals(region)) {
            throw new CustomerHomedElsewhereException(customer, homeRegion, region);
        }
    }

    /** The token subject's home region: its claim, or this region when it has none. */
    private String homeRegion(Jwt token) {
        @Nullable String claimed = token.getClaimAsString(TokenRules.HOME_REGION_CLAIM);
        return claimed == null ? region : claimed;
    }
}
