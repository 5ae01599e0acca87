package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code kubectl explain activelearningloop.spec.round} reads the descriptions of the committed CRDs:
 * every field of Winnow's specs and statuses has one. Below a field of a Kubernetes type (affinity,
 * env, resources, tolerations, conditions) the schema is Kubernetes' own, documented by
 * {@code kubectl explain pod.spec...}; that field itself still needs a description saying so.
 */
class CrdDescriptionsTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final String WINNOW_TYPES = Dataset.class.getPackageName();

    @Test
    void everySpecAndStatusFieldOfTheCommittedCrdsHasADescription() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Class<?> resource : CrdDriftTest.RESOURCES) {
            missing.addAll(undescribed(resource, committedSchema(resource)));
        }
        assertEquals(List.of(), missing, "fields without a description (add @JsonPropertyDescription, then regenerate: see CrdDriftTest)");
    }

    @Test
    void aMissingDescriptionDeepInsideAnInheritedTemplateIsFound() throws IOException {
        JSONSchemaProps root = committedSchema(ActiveLearningLoop.class);
        JSONSchemaProps inference = root.getProperties().get("spec").getProperties().get("round").getProperties().get("inference");
        inference.getProperties().get("image").setDescription(null);
        inference.getProperties().get("shards").setDescription("");
        JSONSchemaProps history = root.getProperties().get("status").getProperties().get("history").getItems().getSchema();
        history.getProperties().get("metrics").setDescription(null);

        assertEquals(List.of("ActiveLearningLoop.spec.round.inference.image", "ActiveLearningLoop.spec.round.inference.shards",
                "ActiveLearningLoop.status.history[].metrics"), undescribed(ActiveLearningLoop.class, root).stream().sorted().toList());
    }

    /** Paths of the resource, its spec and status and every field of Winnow's types below them that have no description. */
    static List<String> undescribed(Class<?> resource, JSONSchemaProps root) {
        List<String> missing = new ArrayList<>();
        String kind = resource.getSimpleName();
        if (blank(root.getDescription())) {
            missing.add(kind);
        }
        JavaType type = JACKSON.constructType(resource);
        for (String part : List.of("spec", "status")) {
            JSONSchemaProps schema = root.getProperties().get(part);
            if (blank(schema.getDescription())) {
                missing.add(kind + "." + part);
            }
            walk(kind + "." + part, schema, properties(type).get(part), missing);
        }
        return missing;
    }

    private static void walk(String path, JSONSchemaProps schema, JavaType type, List<String> missing) {
        Map<String, JavaType> javaProperties = properties(type);
        schema.getProperties().forEach((name, property) -> {
            String at = path + "." + name;
            JavaType javaType = javaProperties.get(name);
            if (javaType == null) {
                missing.add(at + " (no such property on " + type.getRawClass().getSimpleName() + ")");
                return;
            }
            if (blank(property.getDescription())) {
                missing.add(at);
            }
            // lists and maps of Winnow's types: the element's schema is under items or additionalProperties
            JSONSchemaProps element = property;
            String elementPath = at;
            while (javaType.isContainerType()) {
                javaType = javaType.getContentType();
                if (element.getItems() != null) {
                    element = element.getItems().getSchema();
                    elementPath += "[]";
                } else if (element.getAdditionalProperties() != null && element.getAdditionalProperties().getSchema() != null) {
                    element = element.getAdditionalProperties().getSchema();
                    elementPath += "{}";
                }
            }
            if (javaType.getRawClass().getPackageName().equals(WINNOW_TYPES) && !javaType.isEnumType()
                    && element.getProperties() != null) {
                walk(elementPath, element, javaType, missing);
            }
        });
    }

    private static Map<String, JavaType> properties(JavaType type) {
        return JACKSON.getSerializationConfig().introspect(type).findProperties().stream()
                .collect(Collectors.toMap(BeanPropertyDefinition::getName, BeanPropertyDefinition::getPrimaryType, (a, b) -> a));
    }

    private static JSONSchemaProps committedSchema(Class<?> resource) throws IOException {
        String plural = resource.getSimpleName().toLowerCase(java.util.Locale.ROOT) + "s";
        Path file = CrdDriftTest.COMMITTED.resolve(plural + "." + Dataset.GROUP + "-v1.yml");
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
        return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
