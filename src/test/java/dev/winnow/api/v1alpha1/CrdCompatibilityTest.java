package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compatibility rule of the CRDs: within a served version (v1alpha1), a field of a released Winnow is never
 * removed, renamed or retyped, and no field an older manifest may lack becomes required, since objects stored
 * under the old schema, and the manifests in users' Git, must stay valid. Such a change needs a new CRD version.
 * The released CRDs are kept under src/test/resources/crds-released/&lt;version&gt;/ (copied from the release's
 * crds/ when it is cut).
 */
class CrdCompatibilityTest {
    static final Path RELEASED = Path.of("src/test/resources/crds-released");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyFieldOfEveryReleasedVersionIsStillServedWithItsType() throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> releases;
        try (Stream<Path> dirs = Files.list(RELEASED)) {
            releases = dirs.sorted().toList();
        }
        assertTrue(!releases.isEmpty(), "no released CRDs under " + RELEASED);
        for (Path release : releases) {
            try (Stream<Path> files = Files.list(release)) {
                for (Path old : files.sorted().toList()) {
                    problems.addAll(compare(release.getFileName() + "/" + old.getFileName(), YAML.readTree(old.toFile()),
                            YAML.readTree(Path.of("crds").resolve(old.getFileName()).toFile())));
                }
            }
        }
        assertEquals(List.of(), problems, "a change that breaks stored objects or users' manifests needs a new CRD version");
    }

    @Test
    void aRemovedFieldARetypedOneAndANewRequiredOneAreCaught() throws IOException {
        JsonNode released = YAML.readTree(RELEASED.resolve("0.1.0/trainingruns.winnow.dev-v1.yml").toFile());
        JsonNode changed = released.deepCopy();
        JsonNode spec = changed.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
        ((com.fasterxml.jackson.databind.node.ObjectNode) spec.get("properties")).remove("seed");
        ((com.fasterxml.jackson.databind.node.ObjectNode) spec.at("/properties/backoffLimit")).put("type", "string");
        ((com.fasterxml.jackson.databind.node.ArrayNode) spec.get("required")).add("trainer");
        assertEquals(List.of("t: v1alpha1 .spec requires trainer, which older objects may lack",
                "t: v1alpha1 .spec.backoffLimit is string, was integer",
                "t: v1alpha1 .spec.seed was removed"), compare("t", released, changed).stream().sorted().toList());
    }

    static List<String> compare(String what, JsonNode released, JsonNode current) {
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> now = versions(current);
        versions(released).forEach((version, schema) -> {
            JsonNode served = now.get(version);
            if (served == null) {
                problems.add(what + ": version " + version + " is no longer served");
                return;
            }
            walk(what + ": " + version + " ", "", schema, served, problems);
        });
        return problems;
    }

    private static Map<String, JsonNode> versions(JsonNode crd) {
        Map<String, JsonNode> versions = new TreeMap<>();
        for (JsonNode v : crd.at("/spec/versions")) {
            if (v.path("served").asBoolean(true)) {
                versions.put(v.path("name").asText(), v.at("/schema/openAPIV3Schema"));
            }
        }
        return versions;
    }

    private static void walk(String prefix, String path, JsonNode old, JsonNode now, List<String> problems) {
        String type = old.path("type").asText("");
        if (!type.equals(now.path("type").asText(""))) {
            problems.add(prefix + path + " is " + now.path("type").asText("untyped") + ", was " + type);
            return;
        }
        List<String> before = new ArrayList<>();
        old.path("required").forEach(r -> before.add(r.asText()));
        now.path("required").forEach(r -> {
            if (!before.contains(r.asText()) && !path.isEmpty()) {
                problems.add(prefix + path + " requires " + r.asText() + ", which older objects may lack");
            }
        });
        for (Iterator<Map.Entry<String, JsonNode>> it = old.path("properties").fields(); it.hasNext(); ) {
            var field = it.next();
            JsonNode next = now.path("properties").get(field.getKey());
            if (next == null) {
                problems.add(prefix + path + "." + field.getKey() + " was removed");
            } else {
                walk(prefix, path + "." + field.getKey(), field.getValue(), next, problems);
            }
        }
        if (old.has("items")) {
            walk(prefix, path + "[]", old.get("items"), now.path("items"), problems);
        }
        if (old.has("additionalProperties") && old.get("additionalProperties").isObject()) {
            walk(prefix, path + "{}", old.get("additionalProperties"), now.path("additionalProperties"), problems);
        }
    }
}
