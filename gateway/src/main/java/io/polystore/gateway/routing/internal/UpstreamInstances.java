package io.polystore.gateway.routing.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instances of each service, from {@code polystore.gateway.routing.instances}: a request whose route names one
 * of them goes to each in turn (round robin), and a retry to the next one, so that a dead instance costs a retry, not
 * a failed request. A route whose address is in no group goes where it says.
 */
public final class UpstreamInstances {

    private record Group(List<URI> instances, AtomicInteger next) {
    }

    private final Map<String, Group> byAuthority = new HashMap<>();

    public UpstreamInstances(Map<String, List<URI>> instances) {
        instances.values().forEach(list -> {
            Group group = new Group(List.copyOf(list), new AtomicInteger());
            list.forEach(instance -> byAuthority.put(key(instance), group));
        });
    }

    /**
     * Where the attempts at a request for {@code target} go, in order: every instance of its service once, starting
     * with the next in turn; {@code target} alone when its service has no instances configured.
     */
    public List<URI> attempts(URI target) {
        Group group = byAuthority.get(key(target));
        if (group == null) {
            return List.of(target);
        }
        int size = group.instances().size();
        int first = Math.floorMod(group.next().getAndIncrement(), size);
        List<URI> attempts = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            URI instance = group.instances().get((first + i) % size);
            attempts.add(URI.create(instance.getScheme() + "://" + instance.getRawAuthority()
                    + (target.getRawPath() == null ? "" : target.getRawPath())
                    + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery())));
        }
        return attempts;
    }

    private static String key(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
