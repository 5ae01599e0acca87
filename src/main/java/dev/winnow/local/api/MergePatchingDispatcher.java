package dev.winnow.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The mock server's CRUD dispatcher with JSON merge patch done as RFC 7386 says. The stock one appends to lists
 * where a merge patch replaces them, so a status patched twice would carry its conditions twice. Merge patches
 * are turned into a JSON patch that replaces each top-level field the patch names with its merged value.
 */
final class MergePatchingDispatcher extends KubernetesCrudDispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();

    MergePatchingDispatcher() {
        super(List.of());
    }

    /** Synchronized so the read of the current object and the patch built from it are not split by another patch. */
    @Override
    public synchronized MockResponse handlePatch(RecordedRequest request) {
        String type = request.getHeader("Content-Type");
        if (type == null || !type.startsWith("application/merge-patch+json")) {
            return super.handlePatch(request);
        }
        Map.Entry<AttributeSet, String> current = findResource(getKey(request.getPath()));
        if (current == null) {
            return super.handlePatch(request);
        }
        try {
            JsonNode doc = JSON.readTree(current.getValue());
            JsonNode patch = JSON.readTree(request.getUtf8Body());
            if (!patch.isObject() || !doc.isObject()) {
                return super.handlePatch(request);
            }
            ArrayNode ops = JsonNodeFactory.instance.arrayNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String pointer = "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                if (field.getValue().isNull()) {
                    if (doc.has(field.getKey())) {
                        ops.addObject().put("op", "remove").put("path", pointer);
                    }
                } else {
                    ops.addObject().put("op", "add").put("path", pointer)
                            .set("value", merge(doc.get(field.getKey()), field.getValue()));
                }
            }
            RecordedRequest asJsonPatch = new RecordedRequest(request.getHttpVersion(), request.method(),
                    request.getPath(), request.getHeaders().newBuilder().set("Content-Type", "application/json-patch+json").build(),
                    new Buffer(JSON.writeValueAsBytes(ops)));
            return super.handlePatch(asJsonPatch);
        } catch (IOException e) {
            return new MockResponse().setResponseCode(400).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                    + "\"status\":\"Failure\",\"reason\":\"BadRequest\",\"code\":400}");
        }
    }

    /** RFC 7386: objects merge key by key, null deletes, anything else (lists included) replaces. */
    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }
}
