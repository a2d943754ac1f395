package io.polystore.order;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** Each feature's {@code internal} package is used by that feature only. */
class ModularityTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.polystore.order");

    @Test
    void internalsStayInsideTheirFeature() {
        classes().should(useOnlyTheirOwnFeaturesInternals()).check(classes);
    }

    private static ArchCondition<JavaClass> useOnlyTheirOwnFeaturesInternals() {
        return new ArchCondition<>("use no other feature's internal package") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                origin.getDirectDependenciesFromSelf().forEach(dependency -> {
                    String target = dependency.getTargetClass().getPackageName();
                    int internal = target.indexOf(".internal");
                    if (target.startsWith("io.polystore.order.") && internal > 0
                            && !origin.getPackageName().startsWith(target.substring(0, internal))) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                });
            }
        };
    }
}
