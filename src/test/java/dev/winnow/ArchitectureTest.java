package dev.winnow;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * DESIGN §7's layout, checked on the production classes: what a package may import of Winnow's, that only
 * {@code cli} imports {@code local}, that {@code local}'s parts depend one way, and that the top-level packages
 * form no cycle.
 */
@AnalyzeClasses(packages = ArchitectureTest.WINNOW, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    static final String WINNOW = "dev.winnow";

    /**
     * What each package may import of Winnow's besides itself and its sub-packages. A package not listed is held
     * only by the rules below it. The step contract is the vocabulary of both sides of a Job, so the API types
     * (its enums), the operator, the worker and the local kubelet (which plays the Job controller) share it.
     * Local's parts: the embedded API and the local kubelet stand alone, the demo composes them.
     */
    static final Map<String, List<String>> MAY_IMPORT = Map.of(
            "contract", List.of(),
            "api", List.of("contract"),
            "operator", List.of("api", "contract"),
            "worker", List.of("contract", "sampling", "storage"),
            "sampling", List.of(),
            "storage", List.of(),
            "local.api", List.of(),
            "local.kubelet", List.of("contract"),
            "dashboard", List.of("api", "contract", "local.bench", "map", "storage"));

    /**
     * The packages that may import {@code local}: itself, the command that starts the demo, and the dashboard, which
     * draws a benchmark's band with the report's curve math (local.bench only, by MAY_IMPORT).
     */
    static final List<String> IMPORT_LOCAL = List.of("local", "cli", "dashboard");

    @ArchTest
    static final ArchRule packagesImportOnlyWhatTheyMay = CompositeArchRule.of(MAY_IMPORT.entrySet().stream()
            .map(e -> classes().that().resideInAPackage(tree(e.getKey()))
                    .should().onlyDependOnClassesThat(resideOutsideOfPackage(tree("")).or(resideInAnyPackage(
                            Stream.concat(Stream.of(e.getKey()), e.getValue().stream()).map(ArchitectureTest::tree)
                                    .toArray(String[]::new))))
                    .because("DESIGN §7 lets " + e.getKey() + " import "
                            + (e.getValue().isEmpty() ? "nothing of Winnow's" : String.join(", ", e.getValue()))))
            .toList());

    @ArchTest
    static final ArchRule onlyCliImportsLocal = noClasses()
            .that().resideOutsideOfPackages(IMPORT_LOCAL.stream().map(ArchitectureTest::tree).toArray(String[]::new))
            .should().dependOnClassesThat().resideInAPackage(tree("local"))
            .because("local is the embedded default behind `winnow demo`, not part of the operator or the worker");

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching(WINNOW + ".(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noCyclesBetweenLocalParts = slices().matching(WINNOW + ".local.(*)..").should().beFreeOfCycles();

    /**
     * The same import rules on the sources: javac copies a {@code static final} constant into the class that uses
     * it, so the bytecode of {@code operator} would not show it reading {@code contract.Variables.STEP}. Imports,
     * qualified names and javadoc links all count.
     */
    @ArchTest
    static void sourcesReferenceOnlyWhatTheyMay(JavaClasses ignored) throws IOException {
        Path root = Path.of("src/main/java/dev/winnow");
        Pattern reference = Pattern.compile("\\bdev\\.winnow\\.([a-z0-9_.]+?)\\.[A-Z]");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = root.relativize(file.getParent()).toString().replace('/', '.');
                String source = Files.readString(file).replaceFirst("(?m)^package [\\w.]+;", "");
                Matcher m = reference.matcher(source);
                while (m.find()) {
                    String to = m.group(1);
                    if (!mayReference(from, to)) {
                        long line = source.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                        violations.add(root.relativize(file) + ":" + line + " references " + WINNOW + "." + to);
                    }
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new AssertionError("DESIGN §7 is broken in the sources:\n  " + String.join("\n  ", violations));
        }
    }

    private static boolean mayReference(String from, String to) {
        if (within(to, "local") && IMPORT_LOCAL.stream().noneMatch(p -> within(from, p))) {
            return false;
        }
        return MAY_IMPORT.entrySet().stream().filter(e -> within(from, e.getKey()))
                .allMatch(e -> within(to, e.getKey()) || e.getValue().stream().anyMatch(p -> within(to, p)));
    }

    private static boolean within(String pkg, String parent) {
        return pkg.equals(parent) || pkg.startsWith(parent + ".");
    }

    /** ArchUnit's name for a package and everything below it. */
    private static String tree(String pkg) {
        return pkg.isEmpty() ? WINNOW + ".." : WINNOW + "." + pkg + "..";
    }
}
