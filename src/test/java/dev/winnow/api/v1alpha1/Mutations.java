package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random damage to a valid manifest, the way people damage them: a field removed, a value of the
 * wrong type, a number out of range, a junk string, an empty list or object. Seeded, so a failing
 * case can be replayed from its description.
 */
public final class Mutations {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> JUNK = List.of("", " ", "lots", "bad resource!", "Ünïcödé", "x".repeat(300), "../..",
            "s3://", "-1", "1e400", "null", "f1-macro", "nvidia.com/", "Not An Image!", "{}", "a,b", "UPPER_CASE");
    private static final List<Long> NUMBERS = List.of(-1L, 0L, 1L, 3L, 2_147_483_648L, 1_000_000_000_000L, Long.MIN_VALUE);

    /** One damaged copy: what was done (to replay it) and the result. */
    public record Mutation(String description, ObjectNode object) {
    }

    private final Random random;

    public Mutations(long seed) {
        this.random = new Random(seed);
    }

    /** Damages one field under {@code spec} of a copy of {@code valid} (names have their own rule and test). */
    public Mutation next(ObjectNode valid) {
        ObjectNode copy = valid.deepCopy();
        List<String> paths = new ArrayList<>();
        collect(copy.get("spec"), "spec", paths);
        paths.remove("spec");
        // mostly single values, as people mistype them; sometimes a whole object or list
        List<String> leaves = paths.stream().filter(p -> !at(copy, p).isContainerNode() || at(copy, p).isEmpty()).toList();
        List<String> from = random.nextInt(5) == 0 || leaves.isEmpty() ? paths : leaves;
        String path = from.get(random.nextInt(from.size()));
        JsonNode current = at(copy, path);
        int kind = random.nextInt(5);
        JsonNode replacement;
        String what;
        switch (kind) {
            case 0 -> {
                replacement = null;
                what = "removed";
            }
            case 1 -> {
                replacement = wrongType(current);
                what = "wrong type " + replacement;
            }
            case 2 -> {
                replacement = NODES.numberNode(NUMBERS.get(random.nextInt(NUMBERS.size())));
                what = "number " + replacement;
            }
            case 3 -> {
                replacement = NODES.textNode(JUNK.get(random.nextInt(JUNK.size())));
                what = "junk " + abbreviated(replacement.toString());
            }
            default -> {
                replacement = current != null && current.isArray() ? NODES.arrayNode()
                        : current != null && current.isObject() ? NODES.objectNode() : NODES.textNode("");
                what = "emptied to " + replacement;
            }
        }
        set(copy, path, replacement);
        return new Mutation(path + ": " + what, copy);
    }

    private JsonNode wrongType(JsonNode current) {
        if (current == null || current.isTextual()) {
            return random.nextBoolean() ? NODES.numberNode(42) : NODES.booleanNode(true);
        }
        if (current.isNumber() || current.isBoolean()) {
            return NODES.textNode("ten");
        }
        return current.isArray() ? NODES.textNode("[a, b]") : NODES.arrayNode().add("x");
    }

    private static void collect(JsonNode node, String path, List<String> paths) {
        if (node == null) {
            return;
        }
        paths.add(path);
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> collect(e.getValue(), path + "." + e.getKey(), paths));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "." + i, paths);
            }
        }
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            node = node == null ? null : node.isArray() ? node.get(Integer.parseInt(part)) : node.get(part);
        }
        return node;
    }

    private static void set(ObjectNode root, String path, JsonNode value) {
        int cut = path.lastIndexOf('.');
        JsonNode parent = at(root, path.substring(0, cut));
        String last = path.substring(cut + 1);
        if (parent instanceof ArrayNode array) {
            int i = Integer.parseInt(last);
            if (value == null) {
                array.remove(i);
            } else {
                array.set(i, value);
            }
        } else if (parent instanceof ObjectNode object) {
            if (value == null) {
                object.remove(last);
            } else {
                object.set(last, value);
            }
        }
    }

    private static String abbreviated(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
