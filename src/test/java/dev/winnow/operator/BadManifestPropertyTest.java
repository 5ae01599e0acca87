package dev.winnow.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.BadObjects;
import dev.winnow.api.v1alpha1.CrdValidator;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.Mutations;
import dev.winnow.api.v1alpha1.WinnowStatus;
import dev.winnow.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.CustomResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random damage to a valid loop manifest (a Dataset and an ActiveLearningLoop): each damaged copy is
 * either refused by the CRDs' schema and CEL rules (evaluated from crds/, as the API server would)
 * or, applied to the operator on the mock server, ends within a bounded time in a state a person
 * can read: finished, failed or held, with a condition that has a reason and a message. The
 * operator never gives up on an object silently ("Exhausted retries").
 */
class BadManifestPropertyTest extends ClusterTest {
    static final int MUTATIONS = 40;
    static final long SEED = 16;
    static final Duration SETTLE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyDamagedManifestIsRefusedAtApplyOrEndsWithAReadableCondition() {
        try (LogCapture logged = LogCapture.josdk()) {
            Mutations mutations = new Mutations(SEED);
            ObjectNode dataset = BadObjects.parse(BadObjects.DATASET);
            ObjectNode loop = BadObjects.parse(BadObjects.LOOP);
            // two rounds at most, so forty loops stay cheap: maxRounds, and a metric the fake trainer reaches in round 2
            loop = BadObjects.with(loop, "spec.stopWhen.maxRounds", 2);
            loop = BadObjects.with(loop, "spec.stopWhen.metric.atLeast", 0.65);

            List<String> refused = new ArrayList<>();
            List<Applied> applied = new ArrayList<>();
            for (int i = 0; i < MUTATIONS; i++) {
                String datasetName = "ds-" + i;
                ObjectNode d = BadObjects.with(dataset, "metadata.name", datasetName);
                ObjectNode l = BadObjects.with(BadObjects.with(loop, "metadata.name", "loop-" + i), "spec.datasetRef", datasetName);
                boolean damageDataset = i % 4 == 3;
                Mutations.Mutation m = mutations.next(damageDataset ? d : l);
                if (damageDataset) {
                    d = m.object();
                } else {
                    l = m.object();
                }
                String kind = damageDataset ? "Dataset" : "ActiveLearningLoop";
                List<String> refusals = CrdValidator.of(kind).refusals(m.object());
                if (!refusals.isEmpty()) {
                    refused.add(kind + " " + m.description() + " -> " + refusals.get(0));
                    continue;
                }
                apply(d);
                apply(l);
                applied.add(new Applied(kind + " " + m.description(), datasetName, "loop-" + i));
            }

            System.out.println("refused at apply:\n  " + String.join("\n  ", refused)
                    + "\napplied:\n  " + String.join("\n  ", applied.stream().map(Applied::description).toList()));
            Eventually.until(SETTLE, () -> applied.stream().allMatch(this::settled),
                    () -> "not settled:\n" + String.join("\n", applied.stream().filter(a -> !settled(a)).map(this::describe).toList()));
            for (Applied a : applied) {
                readable(Dataset.class, a.dataset(), a.description());
                readable(ActiveLearningLoop.class, a.loop(), a.description());
            }
            assertTrue(refused.size() >= 5 && applied.size() >= 10,
                    "the mutations exercise both the CRDs and the operator: " + refused.size() + " refused, " + applied.size() + " applied");
            assertEquals(List.of(), logged.containing("Exhausted retries"));
        }
    }

    record Applied(String description, String dataset, String loop) {
    }

    private void apply(ObjectNode object) {
        var resource = JSON.convertValue(object, GenericKubernetesResource.class);
        cluster.client.genericKubernetesResources(object.path("apiVersion").asText(), object.path("kind").asText())
                .inNamespace(MockCluster.NAMESPACE).resource(resource).create();
    }

    /** The loop finished, failed or is held for a reason people can act on; its Dataset is Ready or says why not. */
    private boolean settled(Applied a) {
        Dataset dataset = get(Dataset.class, a.dataset());
        ActiveLearningLoop loop = get(ActiveLearningLoop.class, a.loop());
        if (dataset == null || loop == null || dataset.getStatus() == null || loop.getStatus() == null) {
            return false;
        }
        boolean datasetSettled = Conditions.isTrue(dataset.getStatus(), Conditions.READY) || held(dataset.getStatus());
        boolean loopSettled = Conditions.isTrue(loop.getStatus(), Conditions.SUCCEEDED)
                || Conditions.isTrue(loop.getStatus(), Conditions.FAILED) || held(loop.getStatus());
        return datasetSettled && loopSettled;
    }

    private static boolean held(WinnowStatus status) {
        return Conditions.find(status, Conditions.PROGRESSING).map(c -> "False".equals(c.getStatus())).orElse(false);
    }

    private <T extends CustomResource<?, ? extends WinnowStatus>> void readable(Class<T> type, String name, String mutation) {
        T object = get(type, name);
        List<Condition> conditions = object.getStatus().conditions;
        assertTrue(!conditions.isEmpty(), mutation + ": " + name + " has no condition");
        for (Condition c : conditions) {
            assertTrue(c.getReason() != null && !c.getReason().isBlank() && c.getMessage() != null && !c.getMessage().isBlank(),
                    mutation + ": " + name + " condition " + c.getType() + " lacks a reason or a message: " + c);
        }
        assertTrue(object.getStatus().phase != null, mutation + ": " + name + " has no phase");
    }

    private String describe(Applied a) {
        return a.description() + ": dataset " + Optional.ofNullable(get(Dataset.class, a.dataset())).map(d -> d.getStatus())
                .map(s -> s.phase + " " + s.message).orElse("-") + "; loop " + Optional.ofNullable(get(ActiveLearningLoop.class, a.loop()))
                .map(l -> l.getStatus()).map(s -> s.phase + " " + s.message).orElse("-");
    }
}
