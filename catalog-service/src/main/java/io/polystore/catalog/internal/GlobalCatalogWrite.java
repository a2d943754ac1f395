package io.polystore.catalog.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint that changes the global catalog (products, categories, related products). Only the catalog region
 * changes it; in any other region {@link GlobalCatalogWrites} refuses the call with a 409 that names the catalog region,
 * after the caller's role was checked and before anything is changed, and the API documentation says so.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface GlobalCatalogWrite {
}
