package dev.ecrdigestguard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layout of docs/architecture.md true: every package of the program sits on a level, and a class may use
 * its own package and packages on lower levels only — never a sibling on its own level, never one above. A new
 * package fails the build until it is given a level here (and in the document).
 */
class ArchitectureTest {

    static final String BASE = "dev.ecrdigestguard";

    /** Lowest first. The document draws the same picture. */
    static final List<List<String>> LEVELS = List.of(
            List.of("text"),
            List.of("image", "failure", "log", "json"),
            List.of("event", "manifest", "config"),
            List.of("finding", "registry", "aws"),
            List.of("metrics", "lifecycle", "retag", "alert"),
            List.of("guard"),
            List.of("sweep"),
            List.of("ecr", "oci", "snapshot", "ledger", "cloudtrail", "alert.sns", "alert.slack"),
            List.of("app"),
            List.of("lambda", "cli"));

    /** The pure core: values in, values out, no AWS SDK and no Lambda runtime types. */
    static final List<String> CORE = List.of("text", "image", "event", "manifest", "finding", "registry", "lifecycle",
            "retag", "alert", "guard", "sweep", "metrics", "config");

    static JavaClasses program;

    @BeforeAll
    static void importTheProgram() {
        program = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(BASE);
    }

    static Optional<Integer> level(String javaPackage) {
        if (!javaPackage.startsWith(BASE + ".")) {
            return Optional.empty();
        }
        String name = javaPackage.substring(BASE.length() + 1);
        for (int level = 0; level < LEVELS.size(); level++) {
            if (LEVELS.get(level).contains(name)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }

    static final ArchRule DEPEND_ONLY_DOWNWARD = classes().should(new ArchCondition<JavaClass>(
            "depend only on their own package or on packages of a lower level") {
        @Override
        public void check(JavaClass item, ConditionEvents events) {
            int own = level(item.getPackageName()).orElseThrow();
            Map<String, Dependency> upward = new HashMap<>();
            for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                String target = dependency.getTargetClass().getPackageName();
                if (target.equals(item.getPackageName())) {
                    continue;
                }
                level(target).filter(other -> other >= own).ifPresent(other -> upward.putIfAbsent(target, dependency));
            }
            upward.forEach((target, dependency) -> events.add(SimpleConditionEvent.violated(item,
                    item.getName() + " (level " + own + ") uses " + dependency.getTargetClass().getName()
                            + " (level " + level(target).orElseThrow() + "): " + dependency.getDescription())));
        }
    });

    @Test
    void everyPackage_hasALevel() {
        assertThat(program.stream().map(JavaClass::getPackageName).distinct())
                .allSatisfy(javaPackage -> assertThat(level(javaPackage))
                        .as("%s must be placed on a level in ArchitectureTest.LEVELS and docs/architecture.md",
                                javaPackage)
                        .isPresent());
    }

    @Test
    void packages_dependOnlyDownward() {
        DEPEND_ONLY_DOWNWARD.check(program);
    }

    @Test
    void packages_formNoCycle() {
        slices().matching(BASE + ".(**)").should().beFreeOfCycles().check(program);
    }

    @Test
    void theCore_usesNoAwsSdkAndNoLambdaRuntime() {
        noClasses().that().resideInAnyPackage(CORE.stream().map(name -> BASE + "." + name).toArray(String[]::new))
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..", "com.amazonaws..")
                .check(program);
    }

    @Test
    void theRule_catchesAnUpwardImport() {
        // GIVEN a test-only class in the lowest package that uses the use case above it
        JavaClasses fixture = new ClassFileImporter().importClasses(
                dev.ecrdigestguard.image.UpwardDependencyFixture.class);

        // WHEN the rule judges it
        EvaluationResult result = DEPEND_ONLY_DOWNWARD.evaluate(fixture);

        // THEN it is a violation naming both ends
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anySatisfy(line -> assertThat(line)
                .contains("UpwardDependencyFixture").contains("dev.ecrdigestguard.guard.Guard"));
    }
}
