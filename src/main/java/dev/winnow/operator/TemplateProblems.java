package dev.winnow.operator;

import dev.winnow.api.v1alpha1.StepTemplate;
import dev.winnow.api.v1alpha1.Validation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What Kubernetes parses only when a step's Job is created or its pod starts: quantities, resource
 * names, node labels, images, names of other objects. The CRDs refuse most of it at apply time; the
 * operator checks again before it builds anything (an older CRD, a cluster that skipped validation)
 * and names the field and the value, instead of a stack trace, a 422 or a pod stuck in
 * InvalidImageName.
 */
final class TemplateProblems {
    private static final Pattern QUANTITY = Pattern.compile(Validation.QUANTITY_PATTERN);
    private static final Pattern QUALIFIED_NAME = Pattern.compile(Validation.QUALIFIED_NAME_PATTERN);
    private static final Pattern EXTENDED_RESOURCE = Pattern.compile(Validation.EXTENDED_RESOURCE_PATTERN);
    private static final Pattern LABEL_VALUE = Pattern.compile(Validation.LABEL_VALUE_PATTERN);
    private static final Pattern SUBDOMAIN = Pattern.compile(Validation.SUBDOMAIN_PATTERN);
    private static final Pattern IMAGE = Pattern.compile(Validation.IMAGE_PATTERN);
    /** Kubernetes' rule for environment variable names. */
    private static final Pattern ENV_NAME = Pattern.compile("^[-._a-zA-Z][-._a-zA-Z0-9]*$");

    private TemplateProblems() {
    }

    /** The first problem of the template at {@code path} (e.g. spec.trainer), if any. */
    static Optional<String> of(String path, StepTemplate t) {
        if (t == null) {
            return Optional.empty();
        }
        return match(path + ".image", t.image, IMAGE, "an image reference such as registry.example.com/team/trainer:1.0")
                .or(() -> match(path + ".shmSize", t.shmSize, QUANTITY, "a quantity such as 512Mi or 8Gi"))
                .or(() -> match(path + ".gpuResource", t.gpuResource, EXTENDED_RESOURCE,
                        "an extended resource name with its domain, such as nvidia.com/gpu or nvidia.com/mig-1g.10gb"))
                .or(() -> t.gpus != null && t.gpus < 0 ? Optional.of(path + ".gpus: " + t.gpus + " is negative") : Optional.empty())
                .or(() -> t.resources == null ? Optional.empty() : quantities(path + ".resources.limits", t.resources.getLimits()))
                .or(() -> t.resources == null ? Optional.empty() : quantities(path + ".resources.requests", t.resources.getRequests()))
                .or(() -> nodeSelector(path + ".nodeSelector", t.nodeSelector))
                .or(() -> name(path + ".runtimeClassName", t.runtimeClassName))
                .or(() -> name(path + ".priorityClassName", t.priorityClassName))
                .or(() -> name(path + ".serviceAccountName", t.serviceAccountName))
                .or(() -> env(path + ".env", t.env));
    }

    /** A DNS-1123 subdomain: the name of a Secret, claim, ServiceAccount, RuntimeClass or PriorityClass. */
    static Optional<String> name(String field, String value) {
        if (value != null && value.length() > Validation.MAX_SUBDOMAIN) {
            return Optional.of(field + ": '" + value + "' is longer than " + Validation.MAX_SUBDOMAIN + " characters");
        }
        return match(field, value, SUBDOMAIN, "a lower-case name of letters, digits, '-' and '.'");
    }

    private static Optional<String> quantities(String field, Map<String, Quantity> values) {
        if (values == null) {
            return Optional.empty();
        }
        for (var e : values.entrySet()) {
            if (e.getKey() == null || !QUALIFIED_NAME.matcher(e.getKey()).matches()) {
                return Optional.of(field + ": '" + e.getKey() + "' is not a resource name (cpu, memory, nvidia.com/gpu...)");
            }
            String quantity = e.getValue() == null ? null : e.getValue().toString();
            Optional<String> problem = match(field + "[" + e.getKey() + "]", quantity, QUANTITY, "a quantity such as 500m, 2 or 4Gi");
            if (problem.isPresent() || quantity == null) {
                return problem.or(() -> Optional.of(field + "[" + e.getKey() + "] has no value"));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> nodeSelector(String field, Map<String, String> selector) {
        if (selector == null) {
            return Optional.empty();
        }
        for (var e : selector.entrySet()) {
            if (e.getKey() == null || !QUALIFIED_NAME.matcher(e.getKey()).matches()) {
                return Optional.of(field + ": '" + e.getKey() + "' is not a label key");
            }
            Optional<String> problem = match(field + "[" + e.getKey() + "]", e.getValue() == null ? "" : e.getValue(), LABEL_VALUE,
                    "a label value: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> env(String field, List<EnvVar> env) {
        if (env == null) {
            return Optional.empty();
        }
        for (int i = 0; i < env.size(); i++) {
            String name = env.get(i) == null ? null : env.get(i).getName();
            if (name == null || !ENV_NAME.matcher(name).matches()) {
                return Optional.of(field + "[" + i + "].name: '" + name
                        + "' is not a variable name (letters, digits, '_', '-' and '.', not starting with a digit)");
            }
        }
        return Optional.empty();
    }

    /** Null means unset, which is always fine; anything else must match. */
    private static Optional<String> match(String field, String value, Pattern pattern, String expected) {
        if (value == null || pattern.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of(field + ": '" + value + "' is not " + expected);
    }
}
