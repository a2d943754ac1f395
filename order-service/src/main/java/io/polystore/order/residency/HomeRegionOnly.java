package io.polystore.order.residency;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint that reads or writes a customer's orders or personal data, which are kept only in the customer's
 * home region: when the customer is the caller and their token's {@code region} claim names another region, the
 * request is refused with 421 before the endpoint runs, so it writes nothing ({@link HomeRegionRule}). The rule
 * cannot tell the home region of a customer other than the caller (an administrator's token names the
 * administrator's region), so it leaves such requests be.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HomeRegionOnly {

    /** The path variable naming the customer whose data it is; empty when it is always the caller's own. */
    String customerVariable() default "";

    /**
     * Roles that reach other customers' data through this endpoint: a caller holding one of them may be acting for
     * any customer, so the rule leaves them be. A caller holding none of them reaches only their own data.
     */
    String[] unlessRole() default {};
}
