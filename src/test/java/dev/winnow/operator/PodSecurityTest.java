package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.StepTemplate;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A namespace that enforces Pod Security "restricted" refuses a root image's pods. The mock server
 * enforces nothing (StepJobBuilderTest checks built pods against the rules), so the test kubelet
 * plays the Job controller's side: a FailedCreate Event on the Job, as a real cluster writes it.
 */
class PodSecurityTest extends ClusterTest {
    static final String VIOLATION = "violates PodSecurity \"restricted:v1.28\": runAsNonRoot != true (pod or container \"train\" "
            + "must set securityContext.runAsNonRoot=true)";

    @Test
    void refusedPodsAreAConditionOnTheRunAndTheLoopNamesTheStuckChild() {
        cluster.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(MockCluster.NAMESPACE)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build()).create();
        kubelet.refuse("train", VIOLATION);
        create(Manifests.dataset("fashion"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 1);
        loop.getSpec().round.trainer = new dev.winnow.api.v1alpha1.TrainerTemplate();
        loop.getSpec().round.trainer.image = "nvcr.io/nvidia/tao/tao-toolkit:5.5.0-pyt";
        create(loop);

        String why = "Job fashion-r1-train cannot create pods: " + VIOLATION;
        var run = await(TrainingRun.class, "fashion-r1", s -> phase(s, "PodsForbidden")).getStatus();
        var progressing = Conditions.find(run, Conditions.PROGRESSING).orElseThrow();
        assertEquals("False", progressing.getStatus());
        assertEquals("PodsForbidden", progressing.getReason());
        assertEquals(why, progressing.getMessage(), "the API server's words, without the generated pod name");

        var status = await(ActiveLearningLoop.class, "fashion", s -> phase(s, "PodsForbidden")).getStatus();
        assertEquals("round 1: TrainingRun 'fashion-r1' is stuck: " + why, status.message);
        assertEquals("PodsForbidden", Conditions.find(status, Conditions.READY).orElseThrow().getReason());
        assertEquals("False", Conditions.find(status, Conditions.PROGRESSING).orElseThrow().getStatus());
        assertEquals("Training", status.stage);

        // the namespace is relabelled: the Job controller's next try creates the pods and the loop goes on
        kubelet.admit("train");
        await(ActiveLearningLoop.class, "fashion", s -> phase(s, "Succeeded"));
        assertEquals(1, warnings("TrainingRun", "fashion-r1", "PodsForbidden"), "one Warning, not one per reconcile");
        assertEquals(1, warnings("ActiveLearningLoop", "fashion", "PodsForbidden"));
        assertEquals(java.util.Set.of("involvedObject.kind=Job,reason=FailedCreate"), cluster.events.asked,
                "the operator asks the API server for these Events only, never all of the cluster's");
    }

    @Test
    void aDatasetWhoseIndexPodsAreRefusedSaysWhyInsteadOfIndexingForever() {
        kubelet.refuse("index", "exceeded quota: compute, requested: requests.cpu=1, used: requests.cpu=8, limited: requests.cpu=8");
        create(Manifests.dataset("fashion"));

        var status = await(Dataset.class, "fashion", s -> phase(s, "PodsForbidden")).getStatus();
        assertEquals("Job fashion-index-g1 cannot create pods: exceeded quota: compute, requested: requests.cpu=1, "
                + "used: requests.cpu=8, limited: requests.cpu=8", status.message);
        assertEquals("False", Conditions.find(status, Conditions.READY).orElseThrow().getStatus());

        kubelet.admit("index");
        await(Dataset.class, "fashion", s -> phase(s, "Ready"));
    }

    long warnings(String kind, String name, String reason) {
        return cluster.client.v1().events().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> kind.equals(e.getInvolvedObject().getKind()) && name.equals(e.getInvolvedObject().getName())
                        && "Warning".equals(e.getType()) && reason.equals(e.getReason()))
                .count();
    }
}
