package io.polystore.order.residency;

import java.net.URI;

/** 421: the customer's orders and personal data are kept in another region, to which the request should go. */
public final class CustomerHomedElsewhereException extends RuntimeException {

    /** The problem's type: the status alone does not say that the customer belongs to another region. */
    public static final URI TYPE = URI.create("urn:polystore:problem:not-home-region");

    private final String homeRegion;
    private final String region;

    CustomerHomedElsewhereException(String customer, String homeRegion, String region) {
        super("The home region of " + customer + " is " + homeRegion + ", and this is " + region + ": their orders "
                + "and personal data are kept and changed in their home region only.");
        this.homeRegion = homeRegion;
        this.region = region;
    }

    /** Where the customer's data is kept. */
    public String homeRegion() {
        return homeRegion;
    }

    /** The region that refused. */
    public String region() {
        return region;
    }
}
