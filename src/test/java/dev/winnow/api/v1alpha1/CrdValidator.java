package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What the API server would say when an object is applied, from the committed CRD alone: its
 * openAPIV3Schema as a JSON schema (with kubectl's default strict field validation: unknown fields
 * are refused) and its x-kubernetes-validations rules compiled and evaluated with CEL, each at the
 * node it is declared on. Transition rules (those naming oldSelf) run only on updates, as on a
 * cluster. The Fabric8 mock server does neither, so tests of apply-time refusals ask this instead.
 */
public final class CrdValidator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();
    private static final Map<String, CelAbstractSyntaxTree> COMPILED = new ConcurrentHashMap<>();
    /** Draft 4, as the API server's OpenAPI v3 subset, knowing Kubernetes' own keywords (CEL rules run separately). */
    private static final Dialect KUBERNETES = Dialect.builder(Dialects.getDraft4())
            .keywords(Stream.of("x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-list-type",
                    "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-embedded-resource", "x-kubernetes-validations")
                    .map(NonValidationKeyword::new).toList())
            .build();

    private final String kind;
    private final JsonNode schema;
    private final Schema jsonSchema;

    private CrdValidator(String kind, JsonNode schema) {
        this.kind = kind;
        this.schema = schema;
        ObjectNode strict = schema.deepCopy();
        strictFields(strict);
        // every object has these; the CRD's schema leaves them to the API server
        ObjectNode implicit = strict.withObject("/properties");
        implicit.putObject("apiVersion").put("type", "string");
        implicit.putObject("kind").put("type", "string");
        implicit.putObject("metadata").put("type", "object");
        this.jsonSchema = SchemaRegistry.withDefaultDialect(KUBERNETES).getSchema(strict.toString(), InputFormat.JSON);
    }

    /** The validator of one committed CRD, by kind (Dataset, TrainingRun, SelectionRound, ActiveLearningLoop). */
    public static CrdValidator of(String kind) {
        return all().stream().filter(v -> v.kind.equals(kind)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no CRD of kind " + kind + " in " + CrdDriftTest.COMMITTED));
    }

    /** One validator per committed CRD. */
    public static List<CrdValidator> all() {
        return ALL.get();
    }

    private static final java.util.function.Supplier<List<CrdValidator>> ALL = new java.util.function.Supplier<>() {
        private volatile List<CrdValidator> loaded;

        @Override
        public List<CrdValidator> get() {
            if (loaded == null) {
                synchronized (this) {
                    if (loaded == null) {
                        loaded = List.copyOf(load());
                    }
                }
            }
            return loaded;
        }
    };

    private static List<CrdValidator> load() {
        List<CrdValidator> validators = new ArrayList<>();
        try (var files = Files.list(CrdDriftTest.COMMITTED)) {
            for (Path file : files.sorted().toList()) {
                var crd = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
                JsonNode root = JSON.readTree(Serialization.asJson(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()));
                validators.add(new CrdValidator(crd.getSpec().getNames().getKind(), root));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return validators;
    }

    public String kind() {
        return kind;
    }

    /** Why the API server would refuse to create this object (empty: it would accept it). */
    public List<String> refusals(Object object) {
        return refusals(null, object);
    }

    /** Why the API server would refuse this update of {@code old} (null: a create). */
    public List<String> refusals(Object old, Object object) {
        JsonNode node = JSON.valueToTree(object);
        List<String> errors = new ArrayList<>();
        jsonSchema.validate(node.toString(), InputFormat.JSON).forEach(e -> errors.add(e.toString()));
        rules(schema, node, old == null ? null : JSON.valueToTree(old), "", errors);
        return errors;
    }

    /** Rules declared on this node, then on its children, each with self bound to the child's value. */
    private static void rules(JsonNode schema, JsonNode value, JsonNode old, String path, List<String> errors) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            String expression = rule.path("rule").asText();
            boolean transition = expression.contains("oldSelf");
            if (transition && (old == null || old.isMissingNode())) {
                continue;
            }
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("self", plain(value));
            vars.put("oldSelf", transition ? plain(old) : Map.of());
            String where = path.isEmpty() ? "<root>" : path;
            try {
                Object result = CEL.createProgram(compiled(expression)).eval(vars);
                if (!Boolean.TRUE.equals(result)) {
                    errors.add(where + ": Invalid value: " + rule.path("message").asText("failed rule: " + expression));
                }
            } catch (CelEvaluationException e) {
                errors.add(where + ": rule " + expression + " could not be evaluated: " + e.getMessage());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            var property = it.next();
            rules(property.getValue(), value.get(property.getKey()), old == null ? null : old.get(property.getKey()),
                    path + "." + property.getKey(), errors);
        }
        if (schema.has("items") && value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                rules(schema.get("items"), value.get(i), null, path + "[" + i + "]", errors);
            }
        }
        if (schema.path("additionalProperties").isObject() && value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                var entry = it.next();
                rules(schema.get("additionalProperties"), entry.getValue(), old == null ? null : old.get(entry.getKey()),
                        path + "[" + entry.getKey() + "]", errors);
            }
        }
    }

    private static CelAbstractSyntaxTree compiled(String expression) {
        return COMPILED.computeIfAbsent(expression, e -> {
            try {
                return CEL.compile(e).getAst();
            } catch (CelValidationException ex) {
                throw new IllegalStateException("CEL rule does not compile: " + e + ": " + ex.getMessage(), ex);
            }
        });
    }

    /** Compiles every rule of every CRD; throws naming the first that does not. */
    public static int compileAll() {
        int count = 0;
        for (CrdValidator v : all()) {
            count += compileUnder(v.schema);
        }
        return count;
    }

    private static int compileUnder(JsonNode schema) {
        int count = 0;
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            compiled(rule.path("rule").asText());
            count++;
        }
        for (JsonNode child : schema.path("properties")) {
            count += compileUnder(child);
        }
        if (schema.has("items")) {
            count += compileUnder(schema.get("items"));
        }
        if (schema.path("additionalProperties").isObject()) {
            count += compileUnder(schema.get("additionalProperties"));
        }
        return count;
    }

    /** JSON as CEL sees it: maps, lists, int64, double, string, bool. */
    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(plain(n)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }

    /**
     * kubectl apply validates strictly by default: a field the schema does not know is an error, not
     * silently pruned. Objects with properties and no additionalProperties or preserve-unknown-fields
     * refuse others.
     */
    private static void strictFields(JsonNode schema) {
        if (!(schema instanceof ObjectNode object)) {
            return;
        }
        object.remove("x-kubernetes-validations");
        if (object.has("properties") && !object.has("additionalProperties")
                && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            object.put("additionalProperties", false);
        }
        object.path("properties").forEach(CrdValidator::strictFields);
        strictFields(object.path("items"));
        strictFields(object.path("additionalProperties"));
        object.path("anyOf").forEach(CrdValidator::strictFields);
    }
}
