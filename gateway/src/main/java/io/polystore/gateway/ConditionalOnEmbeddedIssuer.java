package io.polystore.gateway;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Only while the gateway issues the platform's tokens itself, that is while
 * {@code polystore.identity.external-issuer-uri} names no other issuer: its sign-in, its clients, its accounts.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnExpression("'${polystore.identity.external-issuer-uri:}' == ''")
public @interface ConditionalOnEmbeddedIssuer {
}
