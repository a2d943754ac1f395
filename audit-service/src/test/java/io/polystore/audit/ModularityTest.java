package io.polystore.audit;

import io.polystore.testkit.architecture.ServiceModules;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

/** The service keeps the platform's module rules, and its README shows its current module diagram. */
class ModularityTest {

    private static final ServiceModules modules = ServiceModules.of(AuditServiceApplication.class);

    @Test
    void modulesTalkThroughTheirTopLevelTypesKeepTheirInternalsAndFormNoCycles() {
        modules.verify();
    }

    @Test
    void theReadmeShowsTheCurrentModuleDiagram() {
        modules.verifyDiagramIn(Path.of("README.md"));
    }
}
