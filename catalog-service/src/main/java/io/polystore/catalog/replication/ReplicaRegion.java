package io.polystore.catalog.replication;

import io.polystore.servicedefaults.region.RegionProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches in a region that holds a replica of the catalog: {@code polystore.region.catalog-region} names another. */
class ReplicaRegion implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return !Binder.get(context.getEnvironment()).bindOrCreate("polystore.region", RegionProperties.class)
                .writesCatalog();
    }
}
