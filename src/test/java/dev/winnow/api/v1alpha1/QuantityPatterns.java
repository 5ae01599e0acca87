package dev.winnow.api.v1alpha1;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

import java.util.Map;
import java.util.Set;

/**
 * The generator writes a Fabric8 {@code Quantity} (resources' limits and requests, an env var's
 * resourceFieldRef divisor) as a bare int-or-string, so {@code cpu: lots} would pass apply and break
 * the Job later. This adds Kubernetes' quantity pattern to those nodes, as controller-gen does for
 * the same types.
 */
final class QuantityPatterns {
    /** Properties whose values are quantities: maps of them (limits, requests) or one (divisor). */
    static final Set<String> QUANTITY_MAPS = Set.of("limits", "requests");
    static final Set<String> QUANTITY_FIELDS = Set.of("divisor");

    private QuantityPatterns() {
    }

    static void add(JSONSchemaProps schema) {
        if (schema == null) {
            return;
        }
        Map<String, JSONSchemaProps> properties = schema.getProperties();
        if (properties != null) {
            properties.forEach((name, child) -> {
                if (QUANTITY_MAPS.contains(name) && child.getAdditionalProperties() != null) {
                    mark(child.getAdditionalProperties().getSchema());
                } else if (QUANTITY_FIELDS.contains(name)) {
                    mark(child);
                }
                add(child);
            });
        }
        if (schema.getItems() != null) {
            add(schema.getItems().getSchema());
        }
        if (schema.getAdditionalProperties() != null) {
            add(schema.getAdditionalProperties().getSchema());
        }
    }

    private static void mark(JSONSchemaProps node) {
        if (node != null && Boolean.TRUE.equals(node.getXKubernetesIntOrString())) {
            node.setPattern(Validation.QUANTITY_PATTERN);
        }
    }
}
