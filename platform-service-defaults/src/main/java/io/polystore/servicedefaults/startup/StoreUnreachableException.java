package io.polystore.servicedefaults.startup;

/** A store the service needs did not answer at start-up; the message names the store and the address tried. */
public class StoreUnreachableException extends RuntimeException {

    private final String store;
    private final String address;

    public StoreUnreachableException(String store, String address, Throwable cause) {
        super("Cannot reach " + store + " at " + address + ": " + rootMessage(cause), cause);
        this.store = store;
        this.address = address;
    }

    public String store() {
        return store;
    }

    public String address() {
        return address;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
