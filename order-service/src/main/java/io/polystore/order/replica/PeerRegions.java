package io.polystore.order.replica;

import io.polystore.servicedefaults.region.RegionProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches in a region that has peers ({@code polystore.region.peers}): there are order histories to replicate. */
class PeerRegions implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return !Binder.get(context.getEnvironment()).bindOrCreate("polystore.region", RegionProperties.class)
                .peers().isEmpty();
    }
}
