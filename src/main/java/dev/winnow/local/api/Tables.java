package dev.winnow.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/** Builds {@code meta.k8s.io/v1} Tables, the form kubectl asks for when it prints (Accept: ...;as=Table). */
public final class Tables {
    private Tables() {
    }

    /**
     * A Table with one row per object.
     *
     * @param includeObject the request's includeObject: None, Object, or Metadata (the default)
     */
    public static ObjectNode table(TableColumns columns, Iterable<JsonNode> objects, String resourceVersion,
                                   String includeObject, Instant now) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode table = f.objectNode();
        table.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", resourceVersion == null ? "" : resourceVersion);
        ArrayNode defs = table.putArray("columnDefinitions");
        columns.columns().forEach(c -> defs.add(c.toJson()));
        ArrayNode rows = table.putArray("rows");
        for (JsonNode object : objects) {
            ObjectNode row = rows.addObject();
            row.set("cells", columns.cells(object, now));
            if ("Object".equals(includeObject)) {
                row.set("object", object);
            } else if (!"None".equals(includeObject)) {
                // kubectl reads the namespace and resourceVersion of each row from here
                ObjectNode partial = row.putObject("object");
                partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
                partial.set("metadata", object.path("metadata").deepCopy());
            }
        }
        return table;
    }
}
