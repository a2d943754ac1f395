package io.polystore.testkit.spring;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

import java.util.List;

/** Reads {@link UsePostgres}, {@link UseKafka}, {@link UseSurrealDb} and {@link UseTestTokens} off a test class. */
final class RealServersContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        UsePostgres postgres = TestContextAnnotationUtils.findMergedAnnotation(testClass, UsePostgres.class);
        UseKafka kafka = TestContextAnnotationUtils.findMergedAnnotation(testClass, UseKafka.class);
        UseSurrealDb surrealDb = TestContextAnnotationUtils.findMergedAnnotation(testClass, UseSurrealDb.class);
        UseTestTokens tokens = TestContextAnnotationUtils.findMergedAnnotation(testClass, UseTestTokens.class);
        if (postgres == null && kafka == null && surrealDb == null && tokens == null) {
            return null;
        }
        return new RealServersContextCustomizer(
                postgres == null ? null : postgres.database(),
                kafka != null,
                surrealDb == null ? null : new RealServersContextCustomizer.SurrealDbTarget(surrealDb.namespace(), surrealDb.database()),
                tokens != null);
    }
}
