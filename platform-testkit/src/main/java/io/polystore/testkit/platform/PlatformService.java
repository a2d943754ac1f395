package io.polystore.testkit.platform;

/** The five services, in the order the launcher reports them. */
public enum PlatformService {
    GATEWAY("gateway"),
    ORDERS("order-service"),
    CATALOG("catalog-service"),
    SYNC("sync-service"),
    AUDIT("audit-service");

    private final String moduleName;

    PlatformService(String moduleName) {
        this.moduleName = moduleName;
    }

    /** The Maven module, which is also the jar's and the application's name. */
    public String moduleName() {
        return moduleName;
    }

    public int port(PlatformPorts ports) {
        return switch (this) {
            case GATEWAY -> ports.gateway();
            case ORDERS -> ports.orders();
            case CATALOG -> ports.catalog();
            case SYNC -> ports.sync();
            case AUDIT -> ports.audit();
        };
    }
}
