package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.cluster.RealCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalog of bad manifests ({@link CrdRulesTest}'s tables) sent to a real API server with the committed CRDs, as
 * `kubectl apply` sends them (strict field validation; a server-side dry run, so nothing is stored): the server's
 * schema and CEL refuse each bad one with a message naming the field, and accept each unusual good one. The unit
 * test evaluates the same rules locally in milliseconds; this is what a user really sees.
 */
class CrdRulesRealClusterIT {
    static KubernetesClient client;

    @BeforeAll
    static void installCrds() throws Exception {
        client = RealCluster.get().client();
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            for (Path file : files.sorted().toList()) {
                CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(Files.readString(file), CustomResourceDefinition.class);
                client.apiextensions().v1().customResourceDefinitions().resource(crd).forceConflicts().serverSideApply();
                client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).waitUntilCondition(
                        c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                                .anyMatch(s -> "Established".equals(s.getType()) && "True".equals(s.getStatus())), 1, TimeUnit.MINUTES);
            }
        }
        if (client.namespaces().withName("ml").get() == null) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName("ml").endMetadata().build()).create();
        }
    }

    private static GenericKubernetesResource resource(ObjectNode object) {
        return client.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
    }

    private static void dryRunCreate(GenericKubernetesResource resource) {
        client.resource(resource).dryRun().fieldValidation(FieldValidateable.Validation.STRICT).create();
    }

    @Test
    void theGoodObjectsPass() {
        for (String yaml : List.of(BadObjects.DATASET, BadObjects.TRAINING_RUN, BadObjects.SELECTION_ROUND, BadObjects.LOOP)) {
            dryRunCreate(resource(BadObjects.parse(yaml)));
        }
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("dev.winnow.api.v1alpha1.CrdRulesTest#refused")
    void refusedByTheApiServer(String kind, String path, Object value, String expected, ObjectNode object) {
        KubernetesClientException refused = assertThrows(KubernetesClientException.class, () -> dryRunCreate(resource(object)),
                kind + " with " + path + "=" + value + " was accepted");
        assertTrue(refused.getCode() == 422 || refused.getCode() == 400, refused.getCode() + ": " + refused.getMessage());
        assertTrue(refused.getMessage().contains(expected), "the API server's words do not mention '" + expected + "': " + refused.getMessage());
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("dev.winnow.api.v1alpha1.CrdRulesTest#accepted")
    void acceptedByTheApiServer(String kind, String path, Object value, String ignored, ObjectNode object) {
        dryRunCreate(resource(object));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunIsImmutableOnceCreated() {
        GenericKubernetesResource run = resource(BadObjects.parse(BadObjects.TRAINING_RUN));
        run.getMetadata().setName("immutable-r1");
        client.resource(run).delete();
        client.resource(run).waitUntilCondition(r -> r == null, 30, TimeUnit.SECONDS);
        GenericKubernetesResource created = client.resource(run).create();
        ((Map<String, Object>) created.getAdditionalProperties().get("spec")).put("backoffLimit", 5);
        KubernetesClientException refused = assertThrows(KubernetesClientException.class, () -> client.resource(created).update());
        assertEquals(422, refused.getCode());
        assertTrue(refused.getMessage().contains("a TrainingRun is immutable"), refused.getMessage());
        client.resource(created).delete();
    }

    @Test
    void aNameTooLongIsRefusedWithTheFieldNamed() {
        GenericKubernetesResource loop = resource(BadObjects.parse(BadObjects.LOOP));
        loop.getMetadata().setName("a".repeat(64));
        KubernetesClientException refused = assertThrows(KubernetesClientException.class, () -> dryRunCreate(loop));
        assertEquals(422, refused.getCode());
        assertTrue(refused.getMessage().contains("metadata.name: Too long: may not be longer than 63"), refused.getMessage());
    }
}
