package io.polystore.sync.relay;

/** Moves one store's outbox into Kafka. Only one replica runs it at a time, see {@link ExclusiveRelayRunner}. */
public interface Relay {

    /** The source's name: metrics tag and lock name. */
    String source();

    /**
     * Relays until {@link #stop()} is called or it fails; blocks the calling thread.
     *
     * @param working called whenever the relay has just shown that its stores work (it connected, read or
     *                published), so that a failing relay counts as healthy again only once it is
     */
    void run(Runnable working) throws Exception;

    /** Makes {@link #run(Runnable)} return soon; called from another thread. */
    void stop();
}
