package io.polystore.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Registers a {@link PolystoreEvent} record: its CloudEvents type, its schema version and its topic. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {

    /** The CloudEvents {@code type}, a reverse-DNS name such as {@code io.polystore.order.OrderPlaced}. */
    String name();

    /** The schema version of the record, sent as the {@code schemaversion} extension; starts at 1. */
    int version();

    /** The topic the event is published to, one of {@link Topics}. */
    String topic();
}
