package io.polystore.catalog;

import io.polystore.testkit.architecture.ServiceModularityTests;

/** The service keeps the platform's module rules, and its README shows its current module diagram. */
class ModularityTest extends ServiceModularityTests {

    ModularityTest() {
        super(CatalogServiceApplication.class);
    }
}
