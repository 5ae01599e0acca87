package dev.winnow.local.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The subset of kubectl JSONPath that printer columns use: {@code .a.b.c} with optional {@code [n]} indexes.
 * Anything fancier (filters, wildcards) is not evaluated and reads as missing.
 */
public final class JsonPaths {
    private JsonPaths() {
    }

    /** The node at the path, or null when it is absent or the path is beyond this subset. */
    public static JsonNode find(JsonNode root, String path) {
        String p = path.trim();
        if (p.startsWith("{") && p.endsWith("}")) {
            p = p.substring(1, p.length() - 1);
        }
        if (!p.startsWith(".") || p.contains("*") || p.contains("?") || p.contains("..")) {
            return null;
        }
        JsonNode node = root;
        for (String segment : p.substring(1).split("\\.")) {
            String field = segment;
            int bracket = segment.indexOf('[');
            Integer index = null;
            if (bracket >= 0) {
                if (!segment.endsWith("]")) {
                    return null;
                }
                field = segment.substring(0, bracket);
                try {
                    index = Integer.parseInt(segment.substring(bracket + 1, segment.length() - 1));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            if (!field.isEmpty()) {
                node = node == null ? null : node.get(field);
            }
            if (index != null) {
                node = node == null || !node.isArray() ? null : node.get(index);
            }
            if (node == null || node.isNull() || node.isMissingNode()) {
                return null;
            }
        }
        return node;
    }
}
