package io.polystore.testkit.architecture;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape every service keeps, checked on its compiled classes. The service's root package is its application
 * class's; each direct sub-package is a module (a feature such as {@code placement}, or {@code internal}, what the
 * whole service shares). The rules:
 * <ol>
 * <li>modules talk to each other through their top-level types only: nothing outside a module uses the module's
 * sub-packages;</li>
 * <li>an {@code internal} package is used only from within the package that contains it: {@code placement.internal}
 * by {@code placement}, the root's {@code internal} by the whole service and by nothing else;</li>
 * <li>no cycles between modules.</li>
 * </ol>
 * Each violation names the dependency that breaks the rule, with its source line. {@link #diagram()} draws the
 * modules and their dependencies in Mermaid, which GitHub renders, and {@link #verifyDiagramIn(Path)} keeps a
 * README's copy current.
 */
public final class ServiceModules {

    /** Set to {@code true} to let {@link #verifyDiagramIn(Path)} write the current diagram instead of failing. */
    public static final String WRITE_README = "polystore.modules.write-readme";

    private static final String BEGIN = "<!-- module diagram: written by ModularityTest, do not edit -->";
    private static final String END = "<!-- end of module diagram -->";
    private static final String INTERNAL = "internal";

    private final String root;
    private final JavaClasses classes;

    private ServiceModules(String root, JavaClasses classes) {
        this.root = root;
        this.classes = classes;
    }

    /** The modules of the service whose root package is {@code application}'s; its test classes are left out. */
    public static ServiceModules of(Class<?> application) {
        // The rules look at this service's packages only: classes outside them need not be read from their jars.
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
        String root = application.getPackageName();
        return of(root, new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(root));
    }

    static ServiceModules of(String root, JavaClasses classes) {
        return new ServiceModules(root, classes);
    }

    /** @throws AssertionError listing every dependency that breaks one of the rules */
    public void verify() {
        ArchRule boundaries = classes().should(respectModuleBoundaries()).allowEmptyShould(false);
        ArchRule acyclic = slices().matching(root + ".(*)..").namingSlices("module $1").should().beFreeOfCycles();
        CompositeArchRule.of(boundaries).and(acyclic).check(classes);
    }

    /** The modules and which uses which, as a Mermaid flowchart, the same text for the same classes. */
    public String diagram() {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (JavaClass origin : classes) {
            module(origin.getPackageName()).ifPresent(from -> {
                Set<String> targets = uses.computeIfAbsent(from, ignored -> new TreeSet<>());
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    module(dependency.getTargetClass().getPackageName())
                            .filter(to -> !to.equals(from))
                            .ifPresent(targets::add);
                }
            });
        }
        Set<String> used = new TreeSet<>();
        uses.values().forEach(used::addAll);
        StringBuilder mermaid = new StringBuilder("```mermaid\nflowchart LR\n");
        uses.forEach((from, targets) -> {
            if (targets.isEmpty() && !used.contains(from)) {
                mermaid.append("    ").append(from).append('\n');
            }
            targets.forEach(to -> mermaid.append("    ").append(from).append(" --> ").append(to).append('\n'));
        });
        return mermaid.append("```\n").toString();
    }

    /**
     * Checks that {@code readme} shows the current {@link #diagram()} between its markers, or with
     * {@code -Dpolystore.modules.write-readme=true} writes it there.
     *
     * @throws AssertionError when the README shows another diagram or has no markers, with the diagram it should show
     */
    public void verifyDiagramIn(Path readme) {
        String text = read(readme);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new AssertionError(readme + " has no module diagram: put these two lines where it belongs, then run "
                    + "the test with -D" + WRITE_README + "=true\n" + BEGIN + "\n" + END);
        }
        String shown = text.substring(begin + BEGIN.length(), end).strip();
        String current = diagram().strip();
        if (shown.equals(current)) {
            return;
        }
        if (Boolean.getBoolean(WRITE_README)) {
            write(readme, text.substring(0, begin + BEGIN.length()) + "\n" + current + "\n" + text.substring(end));
            return;
        }
        throw new AssertionError(readme + " shows an outdated module diagram; run the test with -D" + WRITE_README
                + "=true to write the current one:\n" + current);
    }

    /** The module of a package of this service: the first package below the root; none for the root and others. */
    private Optional<String> module(String packageName) {
        if (!packageName.startsWith(root + ".")) {
            return Optional.empty();
        }
        String below = packageName.substring(root.length() + 1);
        int dot = below.indexOf('.');
        return Optional.of(dot < 0 ? below : below.substring(0, dot));
    }

    private ArchCondition<JavaClass> respectModuleBoundaries() {
        return new ArchCondition<>("use other modules through their top-level types and internal packages only from "
                + "within the package that contains them") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String from = origin.getPackageName();
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    String to = dependency.getTargetClass().getPackageName();
                    brokenRule(from, to).ifPresent(rule -> events.add(SimpleConditionEvent.violated(dependency,
                            dependency.getDescription() + ": " + rule)));
                }
            }
        };
    }

    /** Which rule a dependency from package {@code from} to package {@code to} breaks, if any. */
    private Optional<String> brokenRule(String from, String to) {
        Optional<String> targetModule = module(to);
        if (targetModule.isEmpty() || from.equals(to)) {
            return Optional.empty();
        }
        String moduleTop = root + "." + targetModule.get();
        if (!to.equals(moduleTop) && !module(from).equals(targetModule)) {
            return Optional.of(to + " belongs inside module " + targetModule.get() + "; use its top-level types");
        }
        int internal = (to + ".").indexOf("." + INTERNAL + ".");
        if (internal >= 0) {
            String owner = to.substring(0, internal);
            if (!from.equals(owner) && !from.startsWith(owner + ".")) {
                return Optional.of(to + " is internal to " + owner);
            }
        }
        return Optional.empty();
    }

    private static String read(Path readme) {
        try {
            return Files.readString(readme, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path readme, String text) {
        try {
            Files.writeString(readme, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
