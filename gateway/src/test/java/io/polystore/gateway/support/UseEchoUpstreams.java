package io.polystore.gateway.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Points the gateway's {@code polystore.services.*} at {@link EchoUpstreams}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface UseEchoUpstreams {

    /** Services to leave at their configured address (e.g. one that a test makes unreachable). */
    String[] except() default {};
}
