package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CRDs in crds/ are generated from the Java types and committed, so a cluster admin can read and
 * apply them. This test fails when they drift; regenerate with
 * {@code ./mvnw test -Dtest=CrdDriftTest -Dwinnow.crds.update=true}.
 */
class CrdDriftTest {
    static final Path COMMITTED = Path.of("crds");
    static final List<Class<?>> RESOURCES = List.of(Dataset.class, TrainingRun.class, SelectionRound.class, ActiveLearningLoop.class);

    @Test
    void committedCrdsMatchTheJavaTypes(@TempDir Path out) throws IOException {
        new CRDGenerator().inOutputDir(out.toFile()).forCRDVersions("v1")
                .customResourceClasses(RESOURCES.toArray(Class[]::new))
                .detailedGenerate();
        List<Path> generated;
        try (Stream<Path> files = Files.list(out)) {
            generated = files.sorted().toList();
        }
        assertEquals(4, generated.size(), "one CRD per resource");
        boolean update = Boolean.getBoolean("winnow.crds.update");
        for (Path file : generated) {
            Path committed = COMMITTED.resolve(file.getFileName());
            String fresh = postProcessed(Files.readString(file));
            if (update) {
                Files.createDirectories(COMMITTED);
                Files.writeString(committed, fresh);
                // the Helm chart installs the same files
                Files.writeString(Path.of("helm/winnow/crds").resolve(file.getFileName()), fresh);
            }
            assertTrue(Files.exists(committed), committed + " is missing: regenerate the CRDs (see class comment)");
            assertEquals(fresh, Files.readString(committed), committed + " drifted from the Java types: regenerate (see class comment)");
        }
        try (Stream<Path> files = Files.list(COMMITTED)) {
            assertEquals(generated.size(), files.count(), "crds/ holds exactly the generated CRDs");
        }
    }

    /** People read Phase first and Age last; the generator sorts columns by name (fabric8 #3974). */
    static final List<String> COLUMN_ORDER = List.of("Phase", "Round", "Dataset", "Strategy", "Samples", "Selected",
            "Labeled", "Accuracy", "Last Metric", "Age");

    /**
     * Status lists the API server keeps one entry per key of, so a repeated write replaces an entry
     * instead of adding a second (the generator has no annotation for list types).
     */
    static final Map<String, String> KEYED_STATUS_LISTS = Map.of("conditions", "type", "history", "round");

    /**
     * What the generator cannot do: columns in {@link #COLUMN_ORDER}, descriptions of the resource, spec
     * and status, status lists keyed as in {@link #KEYED_STATUS_LISTS}, and the quantity pattern on
     * Quantity values ({@link QuantityPatterns}).
     */
    static String postProcessed(String yaml) {
        CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
        for (var version : crd.getSpec().getVersions()) {
            withColumnsInReadingOrder(version);
            describeFromTypes(crd.getSpec().getNames().getKind(), version.getSchema().getOpenAPIV3Schema());
            withKeyedStatusLists(version);
            QuantityPatterns.add(version.getSchema().getOpenAPIV3Schema());
            withNameLength(version.getSchema().getOpenAPIV3Schema());
        }
        return "# Generated from the Java types in dev.winnow.api.v1alpha1 by CrdDriftTest; do not edit.\n"
                + Serialization.asYaml(crd);
    }

    /**
     * Names of at most {@link Validation#MAX_NAME} characters: the one restriction a CRD may put on metadata, which
     * the API server reports naming the field (a CEL rule on the root could only name "object").
     */
    static void withNameLength(JSONSchemaProps root) {
        JSONSchemaProps name = new JSONSchemaProps();
        name.setType("string");
        name.setMaxLength((long) Validation.MAX_NAME);
        JSONSchemaProps metadata = new JSONSchemaProps();
        metadata.setType("object");
        metadata.setProperties(new java.util.LinkedHashMap<>(Map.of("name", name)));
        root.getProperties().put("metadata", metadata);
    }

    static void withKeyedStatusLists(CustomResourceDefinitionVersion version) {
        var status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
        KEYED_STATUS_LISTS.forEach((list, key) -> {
            JSONSchemaProps schema = status.getProperties().get(list);
            if (schema != null) {
                schema.setXKubernetesListType("map");
                schema.setXKubernetesListMapKeys(List.of(key));
                // a map key must be required (or defaulted), or the API server refuses the CRD
                var required = new java.util.TreeSet<>(schema.getItems().getSchema().getRequired());
                required.add(key);
                schema.getItems().getSchema().setRequired(List.copyOf(required));
            }
        });
    }

    static void withColumnsInReadingOrder(CustomResourceDefinitionVersion version) {
        var columns = new java.util.ArrayList<>(version.getAdditionalPrinterColumns());
        columns.sort(java.util.Comparator.comparingInt(c -> {
            int i = COLUMN_ORDER.indexOf(c.getName());
            return i < 0 ? COLUMN_ORDER.size() : i;
        }));
        version.setAdditionalPrinterColumns(columns);
    }

    /**
     * The generator takes field descriptions only, so {@code kubectl explain <kind>}, {@code .spec} and
     * {@code .status} would say nothing; their descriptions are the types' {@link JsonClassDescription}s.
     */
    static void describeFromTypes(String kind, JSONSchemaProps root) {
        Class<?> resource = RESOURCES.stream().filter(c -> c.getSimpleName().equals(kind)).findFirst().orElseThrow();
        Type[] specAndStatus = ((ParameterizedType) resource.getGenericSuperclass()).getActualTypeArguments();
        root.setDescription(classDescription(resource));
        root.getProperties().get("spec").setDescription(classDescription((Class<?>) specAndStatus[0]));
        root.getProperties().get("status").setDescription(classDescription((Class<?>) specAndStatus[1]));
    }

    private static String classDescription(Class<?> type) {
        JsonClassDescription description = type.getAnnotation(JsonClassDescription.class);
        return description == null ? null : description.value();
    }

    @Test
    void everyCrdIsNamespacedWithStatusSubresourceAndPrinterColumns() throws IOException {
        try (Stream<Path> files = Files.list(COMMITTED)) {
            for (Path file : files.toList()) {
                CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
                assertEquals("winnow.dev", crd.getSpec().getGroup());
                assertEquals("Namespaced", crd.getSpec().getScope());
                var version = crd.getSpec().getVersions().get(0);
                assertEquals("v1alpha1", version.getName());
                assertTrue(version.getSubresources().getStatus() != null, file + ": status subresource");
                var columns = version.getAdditionalPrinterColumns().stream().map(c -> c.getName()).toList();
                assertTrue(columns.contains("Phase") && columns.contains("Age"), file + ": printer columns " + columns);
                assertFalse(crd.getSpec().getNames().getShortNames().isEmpty(), file + ": short names");
                assertEquals(List.of("winnow"), crd.getSpec().getNames().getCategories(), file + ": `kubectl get winnow` lists it");
            }
        }
    }

    @Test
    void loopShowsRoundLabeledAndLastMetric() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(
                Files.readString(COMMITTED.resolve("activelearningloops.winnow.dev-v1.yml")), CustomResourceDefinition.class);
        var columns = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream().map(c -> c.getName()).toList();
        assertTrue(columns.containsAll(List.of("Phase", "Round", "Labeled", "Last Metric", "Age")), columns.toString());
    }

    /**
     * The API server's own rules for a list of type map, checked on the committed CRDs (the mock
     * server of the reconciler tests enforces none of them): every key is a required field of the
     * items, so a condition per type and a history entry per round is all status can hold.
     */
    @Test
    void conditionsAreKeyedByTypeAndHistoryByRound() throws IOException {
        try (Stream<Path> files = Files.list(COMMITTED)) {
            for (Path file : files.toList()) {
                CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
                var status = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("status");
                assertKeyed(file + " conditions", status.getProperties().get("conditions"), "type");
                if (crd.getSpec().getNames().getKind().equals("ActiveLearningLoop")) {
                    assertKeyed(file + " history", status.getProperties().get("history"), "round");
                }
                status.getProperties().forEach((name, schema) -> {
                    if ("map".equals(schema.getXKubernetesListType())) {
                        assertTrue(schema.getItems().getSchema().getRequired().containsAll(schema.getXKubernetesListMapKeys()),
                                file + " " + name + ": list map keys must be required");
                    }
                });
            }
        }
    }

    private static void assertKeyed(String what, JSONSchemaProps list, String key) {
        assertEquals("array", list.getType(), what);
        assertEquals("map", list.getXKubernetesListType(), what);
        assertEquals(List.of(key), list.getXKubernetesListMapKeys(), what);
        assertTrue(list.getItems().getSchema().getRequired().contains(key), what + ": " + key + " is required");
    }
}
