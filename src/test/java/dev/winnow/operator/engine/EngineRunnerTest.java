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

/** How a running engine reads: its pods running, stuck in the kubelet's words, rank 0's failure kept across a restart in place. */
@EnableKubernetesMockClient(crud = true)
class EngineRunnerTest {
    static KubernetesClient client;

    /** Looks only: no resources to build, no Kueue. */
    private final EngineRunner runner = new EngineRunner(client, null, null,
            new KueueWorkloads(null, new ServedApis((apiVersion, kind) -> false, java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(15))));

    @Test
    void aRankZeroPodWhoseImageCannotBePulledMakesTheStepStuck() {
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
        StepOutcome running = runner.observe(EngineApi.PYTORCH_JOB, job, 2, null).outcome();
        assertEquals(StepOutcome.State.RUNNING, running.state());
        assertEquals("PyTorchJob fashion-r1-train: 1 of 2 pods running", running.message(), "running is told from the engine's pods");

        pod.setStatus(new PodStatusBuilder().withPhase("Pending").addNewContainerStatus().withName("pytorch").withReady(false)
                .withNewState().withNewWaiting().withReason("ErrImagePull").withMessage("pull access denied").endWaiting().endState()
                .endContainerStatus().build());
        pods.resource(pod).updateStatus();
        StepOutcome stuck = runner.observe(EngineApi.PYTORCH_JOB, job, 2, null).outcome();
        assertEquals(StepOutcome.State.STUCK, stuck.state());
        assertEquals(Reason.PodsNotStarting, stuck.reason());
        assertEquals("PyTorchJob fashion-r1-train cannot start its pods: fashion-r1-train-master-0 container pytorch waiting: "
                + "ErrImagePull (pull access denied)", stuck.message());
    }

    /**
     * The training operator v1.9's sequence with restartPolicy OnFailure: rank 0 fails and restarts in place (its
     * message moves to lastState), then past the backoff limit the controller deletes the pods and says Failed.
     */
    @Test
    void rankZerosMessageIsKeptFromARestartInPlaceAndTellsTheFailureAfterThePodsAreGone() {
        GenericKubernetesResource job = Serialization.unmarshal("""
                apiVersion: kubeflow.org/v1
                kind: PyTorchJob
                metadata: {name: oom-r1-train, namespace: ml2, labels: {winnow.dev/step: train}}
                status:
                  conditions:
                    - {type: Running, status: "True", message: PyTorchJob oom-r1-train is running.}
                """, GenericKubernetesResource.class);
        var pods = client.pods().inNamespace("ml2");
        var pod = pods.resource(new PodBuilder().withNewMetadata().withName("oom-r1-train-master-0")
                .withLabels(EngineApi.PYTORCH_JOB.rankZeroLabels("oom-r1-train")).endMetadata()
                .withNewSpec().addNewContainer().withName("pytorch").withImage("train").endContainer().endSpec().build()).create();
        pod.setStatus(new PodStatusBuilder().withPhase("Running").addNewContainerStatus().withName("pytorch").withReady(true).withRestartCount(1)
                .withNewState().withNewRunning().endRunning().endState()
                .withNewLastState().withNewTerminated().withExitCode(1).withMessage("{\"error\": \"CUDA out of memory\"}").endTerminated().endLastState()
                .endContainerStatus().build());
        pods.resource(pod).updateStatus();

        EngineRunner.Observed restarted = runner.observe(EngineApi.PYTORCH_JOB, job, 1, null);
        assertEquals(StepOutcome.State.RUNNING, restarted.outcome().state());
        assertEquals("{\"error\": \"CUDA out of memory\"}", restarted.rankZeroError());
        assertEquals("PyTorchJob oom-r1-train: 1 of 1 pods running; rank 0 failed before and was restarted: CUDA out of memory",
                restarted.outcome().message());

        pods.withName("oom-r1-train-master-0").delete();
        GenericKubernetesResource failed = Serialization.unmarshal("""
                apiVersion: kubeflow.org/v1
                kind: PyTorchJob
                metadata: {name: oom-r1-train, namespace: ml2, labels: {winnow.dev/step: train}}
                status:
                  conditions:
                    - {type: Failed, status: "True", reason: PyTorchJobFailed, message: PyTorchJob oom-r1-train has failed because it has reached the specified backoff limit}
                """, GenericKubernetesResource.class);
        StepOutcome end = runner.observe(EngineApi.PYTORCH_JOB, failed, 1, restarted.rankZeroError()).outcome();
        assertEquals(StepOutcome.State.FAILED, end.state());
        assertEquals("step train failed on rank 0: CUDA out of memory", end.message());
    }

    @Test
    void strictFieldValidationNamesTheUnknownFieldsInEitherOfTheServersWordings() {
        var crd = new io.fabric8.kubernetes.client.KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(400)
                .withMessage("TrainJob in version \"v1alpha1\" cannot be handled as a TrainJob: strict decoding error: unknown field "
                        + "\"spec.activeDeadlineSeconds\", unknown field \"spec.runtimePatches\"").build());
        assertEquals(java.util.Set.of("spec.activeDeadlineSeconds", "spec.runtimePatches"), EngineRunner.unknownFields(crd));
        var declared = new io.fabric8.kubernetes.client.KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(400)
                .withMessage(".spec.podTemplateOverrides[0].spec.securityContext: field not declared in schema").build());
        assertEquals(java.util.Set.of("spec.podTemplateOverrides[0].spec.securityContext"), EngineRunner.unknownFields(declared));
    }
}
