package io.polystore.testkit.architecture;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.polystore.testkit.architecture.shop.ShopApplication;
import io.polystore.testkit.architecture.tangle.TangleApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceModulesTest {

    private static final ServiceModules SHOP = modules(ShopApplication.class);
    private static final ServiceModules TANGLE = modules(TangleApplication.class);

    @Test
    void aServiceThatKeepsTheRulesPasses() {
        SHOP.verify();
    }

    @Test
    void aReachIntoAnotherModulesInternalsFailsNamingTheDependency() {
        assertThatThrownBy(TANGLE::verify).isInstanceOf(AssertionError.class)
                .hasMessageContaining("tangle.billing.Billing.bill()")
                .hasMessageContaining("tangle.orders.internal.OrderRows")
                .hasMessageContaining("belongs inside module orders")
                .hasMessageContaining("(Billing.java:");
    }

    @Test
    void aCycleBetweenModulesFails() {
        assertThatThrownBy(TANGLE::verify).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected: module billing -> ")
                .hasMessageContaining("module orders");
    }

    @Test
    void theDiagramShowsWhichModuleUsesWhich() {
        assertThat(SHOP.diagram()).isEqualTo("""
                ```mermaid
                flowchart LR
                    billing --> orders
                ```
                """);
    }

    @Test
    void aReadmeWithAnOutdatedDiagramFailsAndCanBeRewritten(@TempDir Path directory) throws Exception {
        Path readme = directory.resolve("README.md");
        Files.writeString(readme, """
                # shop

                <!-- module diagram: written by ModularityTest, do not edit -->
                ```mermaid
                flowchart LR
                    orders --> billing
                ```
                <!-- end of module diagram -->

                More text.
                """);

        assertThatThrownBy(() -> SHOP.verifyDiagramIn(readme)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("outdated module diagram").hasMessageContaining("billing --> orders");

        System.setProperty(ServiceModules.WRITE_README, "true");
        try {
            SHOP.verifyDiagramIn(readme);
        } finally {
            System.clearProperty(ServiceModules.WRITE_README);
        }
        SHOP.verifyDiagramIn(readme);
        assertThat(Files.readString(readme)).startsWith("# shop\n").contains("billing --> orders").endsWith("More text.\n");
    }

    @Test
    void aReadmeWithoutMarkersFailsSayingWhatToAdd(@TempDir Path directory) throws Exception {
        Path readme = Files.writeString(directory.resolve("README.md"), "# shop\n");

        assertThatThrownBy(() -> SHOP.verifyDiagramIn(readme)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("<!-- module diagram: written by ModularityTest, do not edit -->");
    }

    private static ServiceModules modules(Class<?> application) {
        return ServiceModules.of(application.getPackageName(), new ClassFileImporter().importPackages(application.getPackageName()));
    }
}
