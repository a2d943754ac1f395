package io.polystore.testkit.architecture;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

/**
 * The module tests every service runs, in its unit-test phase: its classes keep the {@link ServiceModules} rules, and
 * its README shows its current module diagram. A service's {@code ModularityTest} extends this with its application
 * class.
 */
public abstract class ServiceModularityTests {

    private final ServiceModules modules;

    protected ServiceModularityTests(Class<?> application) {
        this.modules = ServiceModules.of(application);
    }

    @Test
    void modulesTalkThroughTheirTopLevelTypesKeepTheirInternalsAndFormNoCycles() {
        modules.verify();
    }

    @Test
    void theReadmeShowsTheCurrentModuleDiagram() {
        modules.verifyDiagramIn(Path.of("README.md"));
    }
}
