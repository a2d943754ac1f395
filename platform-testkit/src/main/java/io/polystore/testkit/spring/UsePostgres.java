package io.polystore.testkit.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Gives the Spring context a real PostgreSQL 17 database (created if missing) as its DataSource. The server starts once per JVM. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface UsePostgres {
    /** The database this test's service owns. */
    String database() default "polystore";
}
