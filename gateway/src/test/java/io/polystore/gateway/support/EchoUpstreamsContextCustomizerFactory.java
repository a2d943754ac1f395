package io.polystore.gateway.support;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.support.TestPropertySourceUtils;

import java.util.List;

/** Reads {@link UseEchoUpstreams}; a record, so every test class asking for it shares one cached context. */
final class EchoUpstreamsContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> attributes) {
        return TestContextAnnotationUtils.findMergedAnnotation(testClass, UseEchoUpstreams.class) == null
                ? null : new EchoUpstreamsCustomizer();
    }

    private record EchoUpstreamsCustomizer() implements ContextCustomizer {
        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context, EchoUpstreams.all().entrySet().stream()
                    .map(entry -> "polystore.services." + entry.getKey() + "=" + entry.getValue().url())
                    .toArray(String[]::new));
        }
    }
}
