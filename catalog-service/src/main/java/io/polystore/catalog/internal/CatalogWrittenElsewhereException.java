package io.polystore.catalog.internal;

/** A change of the global catalog asked of a region that holds a replica of it: 409, naming the catalog region. */
public class CatalogWrittenElsewhereException extends RuntimeException {

    private final String catalogRegion;

    public CatalogWrittenElsewhereException(String region, String catalogRegion) {
        super("Region " + region + " holds a replica of the catalog, which is written in region " + catalogRegion
                + "; send catalog changes there, they reach this region by replication");
        this.catalogRegion = catalogRegion;
    }

    public String catalogRegion() {
        return catalogRegion;
    }
}
