package dev.winnow.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.local.api.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Saves the embedded API's objects to {@code <workdir>/api-state.json} and loads them back, so a demo run
 * without --fresh resumes where the last one stopped: the API lives in memory, the data on disk.
 *
 * <p>The mock server gives every created object a new uid, so owner references and controller-uid labels are
 * rewritten from old uids to new ones; owners are restored before what they own.
 */
public final class ApiSnapshot {
    public static final String FILE = "api-state.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** In restore order: owners first. */
    static final List<ResourceDefinitionContext> TYPES = List.of(
            crd("Dataset", "datasets"), crd("ActiveLearningLoop", "activelearningloops"),
            crd("TrainingRun", "trainingruns"), crd("SelectionRound", "selectionrounds"),
            new ResourceDefinitionContext.Builder().withGroup("").withVersion("v1").withKind("Secret")
                    .withPlural("secrets").withNamespaced(true).build(),
            new ResourceDefinitionContext.Builder().withGroup("").withVersion("v1").withKind("ConfigMap")
                    .withPlural("configmaps").withNamespaced(true).build(),
            new ResourceDefinitionContext.Builder().withGroup("batch").withVersion("v1").withKind("Job")
                    .withPlural("jobs").withNamespaced(true).build(),
            new ResourceDefinitionContext.Builder().withGroup("").withVersion("v1").withKind("Pod")
                    .withPlural("pods").withNamespaced(true).build());

    private ApiSnapshot() {
    }

    public static void save(KubernetesClient client, Path workdir) throws IOException {
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        for (ResourceDefinitionContext type : TYPES) {
            for (GenericKubernetesResource r : client.genericKubernetesResources(type)
                    .inNamespace(EmbeddedApiServer.NAMESPACE).list().getItems()) {
                all.add(JSON.valueToTree(r));
            }
        }
        Path tmp = workdir.resolve(FILE + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), all);
        Files.move(tmp, workdir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Recreates the saved objects with their status; returns how many, 0 when there is no snapshot. */
    public static int restore(KubernetesClient client, Path workdir) throws IOException {
        Path file = workdir.resolve(FILE);
        if (!Files.exists(file)) {
            return 0;
        }
        JsonNode all = JSON.readTree(file.toFile());
        Map<String, String> uids = new HashMap<>();
        int n = 0;
        for (ResourceDefinitionContext type : TYPES) {
            String apiVersion = type.getGroup().isEmpty() ? type.getVersion() : type.getGroup() + "/" + type.getVersion();
            for (JsonNode saved : all) {
                if (!saved.path("kind").asText().equals(type.getKind()) || !saved.path("apiVersion").asText().equals(apiVersion)) {
                    continue;
                }
                ObjectNode o = saved.deepCopy();
                ObjectNode meta = (ObjectNode) o.get("metadata");
                String oldUid = meta.path("uid").asText();
                for (String f : List.of("uid", "resourceVersion", "generation", "creationTimestamp")) {
                    meta.remove(f);
                }
                remapUids(meta, uids);
                JsonNode status = o.remove("status");
                GenericKubernetesResource created = client.genericKubernetesResources(type)
                        .inNamespace(EmbeddedApiServer.NAMESPACE).resource(JSON.treeToValue(o, GenericKubernetesResource.class))
                        .create();
                uids.put(oldUid, created.getMetadata().getUid());
                if (status != null && !status.isNull()) {
                    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
                    patch.addObject().put("op", "add").put("path", "/status").set("value", status);
                    client.genericKubernetesResources(type).inNamespace(EmbeddedApiServer.NAMESPACE)
                            .withName(created.getMetadata().getName()).subresource("status")
                            .patch(PatchContext.of(PatchType.JSON), patch.toString());
                }
                n++;
            }
        }
        return n;
    }

    private static void remapUids(ObjectNode meta, Map<String, String> uids) {
        for (JsonNode ref : meta.path("ownerReferences")) {
            String uid = ref.path("uid").asText();
            if (uids.containsKey(uid)) {
                ((ObjectNode) ref).put("uid", uids.get(uid));
            }
        }
        JsonNode labels = meta.get("labels");
        if (labels instanceof ObjectNode l) {
            for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().endsWith("controller-uid") && uids.containsKey(e.getValue().asText())) {
                    e.setValue(JsonNodeFactory.instance.textNode(uids.get(e.getValue().asText())));
                }
            }
        }
    }

    private static ResourceDefinitionContext crd(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("winnow.dev").withVersion("v1alpha1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
