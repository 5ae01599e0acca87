package dev.winnow.operator.engine;

import dev.winnow.operator.job.KueueWorkloads;
import dev.winnow.operator.job.ServedApis;
import dev.winnow.operator.job.StepOutcome;
import dev.winnow.operator.status.Reason;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a running engine reads when its rank 0 pod cannot start: stuck in the kubelet's words, not running. */
@EnableKubernetesMockClient(crud = true)
class EngineRunnerTest {
    static KubernetesClient client;

    @Test
    void aRankZeroPodWhoseImageCannotBePulledMakesTheStepStuck() {
        var runner = new EngineRunner(client, null, null,
                new KueueWorkloads(null, new ServedApis((apiVersion, kind) -> false, java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(15))));
        GenericKubernetesResource job = Serialization.unmarshal("""
                apiVersion: kubeflow.org/v1
                kind: PyTorchJob
                metadata: {name: fashion-r1-train, namespace: ml}
                status:
                  conditions:
                    - {type: Created, status: "True", message: PyTorchJob fashion-r1-train is created.}
                    - {type: Running, status: "True", message: PyTorchJob fashion-r1-train is running.}
                """, GenericKubernetesResource.class);
        var pods = client.pods().inNamespace("ml");
        var pod = pods.resource(new PodBuilder().withNewMetadata().withName("fashion-r1-train-master-0")
                .withLabels(EngineApi.PYTORCH_JOB.rankZeroLabels("fashion-r1-train")).endMetadata()
                .withNewSpec().addNewContainer().withName("pytorch").withImage("registry.example/train:typo").endContainer().endSpec()
                .build()).create();
        pod.setStatus(new PodStatusBuilder().withPhase("Running").addNewContainerStatus().withName("pytorch").withReady(true)
                .withNewState().withNewRunning().endRunning().endState().endContainerStatus().build());
        pod = pods.resource(pod).updateStatus();
        assertEquals(StepOutcome.State.RUNNING, runner.observe(EngineApi.PYTORCH_JOB, job).state());

        pod.setStatus(new PodStatusBuilder().withPhase("Pending").addNewContainerStatus().withName("pytorch").withReady(false)
                .withNewState().withNewWaiting().withReason("ErrImagePull").withMessage("pull access denied").endWaiting().endState()
                .endContainerStatus().build());
        pods.resource(pod).updateStatus();
        StepOutcome stuck = runner.observe(EngineApi.PYTORCH_JOB, job);
        assertEquals(StepOutcome.State.STUCK, stuck.state());
        assertEquals(Reason.PodsNotStarting, stuck.reason());
        assertEquals("PyTorchJob fashion-r1-train cannot start its pods: fashion-r1-train-master-0 container pytorch waiting: "
                + "ErrImagePull (pull access denied)", stuck.message());
    }
}
