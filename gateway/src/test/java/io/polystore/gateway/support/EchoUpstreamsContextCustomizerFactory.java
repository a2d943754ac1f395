package io.polystore.gateway.support;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.support.TestPropertySourceUtils;

import java.util.List;
import java.util.Set;

/** Reads {@link UseEchoUpstreams}; a record, so every test class asking for it shares one cached context. */
final class EchoUpstreamsContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> attributes) {
        UseEchoUpstreams use = TestContextAnnotationUtils.findMergedAnnotation(testClass, UseEchoUpstreams.class);
        return use == null ? null : new EchoUpstreamsCustomizer(Set.of(use.except()));
    }

    private record EchoUpstreamsCustomizer(Set<String> except) implements ContextCustomizer {
        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context, EchoUpstreams.all().entrySet().stream()
                    .filter(entry -> !except.contains(entry.getKey()))
                    .map(entry -> "polystore.services." + entry.getKey() + "=" + entry.getValue().url())
                    .toArray(String[]::new));
        }
    }
}
