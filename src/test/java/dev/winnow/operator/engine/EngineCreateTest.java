package dev.winnow.operator.engine;

import dev.winnow.api.v1alpha1.TrainerTemplate;
import dev.winnow.api.v1alpha1.TrainingEngine;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.contract.StepName;
import dev.winnow.operator.Manifests;
import dev.winnow.operator.OperatorSettings;
import dev.winnow.operator.job.KueueWorkloads;
import dev.winnow.operator.job.ServedApis;
import dev.winnow.operator.job.StepJob;
import dev.winnow.operator.job.StepJobBuilder;
import dev.winnow.operator.job.StepOutcome;
import dev.winnow.operator.status.Reason;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How an engine resource is created: strictly, in the newest shape the cluster's CRD takes; a CRD of another
 * version is told by the fields it names, and a refusal that will never pass ends the step. The API server's
 * answers are scripted here with its own wording; the real-cluster tier (EnginesRealClusterIT) has the CRDs.
 */
@EnableKubernetesMockClient
class EngineCreateTest {
    static KubernetesClient client;
    static KubernetesMockServer server;

    private static final String TRAIN_JOBS = "/apis/trainer.kubeflow.org/v1alpha1/namespaces/ml/trainjobs";
    private static final String PYTORCH_JOBS = "/apis/kubeflow.org/v1/namespaces/ml/pytorchjobs";

    private final EngineRunner runner = new EngineRunner(client, new EngineResources(new StepJobBuilder(new OperatorSettings("worker:1", Set.of()))),
            new ServedApis((apiVersion, kind) -> true, Clock.systemUTC(), Duration.ofSeconds(15)),
            new KueueWorkloads(client, new ServedApis((apiVersion, kind) -> false, Clock.systemUTC(), Duration.ofSeconds(15))));

    @Test
    void aTrainerV21CrdRefusesRuntimePatchesByNameAndGetsPodTemplateOverrides() throws InterruptedException {
        server.expect().get().withPath(TRAIN_JOBS + "/v21-train").andReturn(404, null).once();
        server.expect().post().withPath(TRAIN_JOBS + "?fieldValidation=Strict").andReturn(400, refusal(400,
                "TrainJob in version \"v1alpha1\" cannot be handled as a TrainJob: strict decoding error: unknown field "
                        + "\"spec.runtimePatches\"")).once();
        server.expect().post().withPath(TRAIN_JOBS + "?fieldValidation=Strict").andReturn(201, null).once();

        StepOutcome created = runner.run(step("v21", null), trainer(TrainingEngine.TrainJob), null).outcome();
        assertEquals(StepOutcome.State.STARTED, created.state(), created.message());
        assertEquals("created TrainJob v21-train (Kubeflow Trainer v2.1 (podTemplateOverrides))", created.message());
        String body = server.getLastRequest().getBody().readUtf8();
        assertTrue(body.contains("\"podTemplateOverrides\"") && !body.contains("runtimePatches"), body);
    }

    @Test
    void anOlderTrainerThatKnowsNeitherShapeIsEngineVersionUnsupported() {
        server.expect().get().withPath(TRAIN_JOBS + "/v20-train").andReturn(404, null).once();
        server.expect().post().withPath(TRAIN_JOBS + "?fieldValidation=Strict").andReturn(400, refusal(400,
                "strict decoding error: unknown field \"spec.runtimePatches\"")).once();
        server.expect().post().withPath(TRAIN_JOBS + "?fieldValidation=Strict").andReturn(400, refusal(400,
                "strict decoding error: unknown field \"spec.podTemplateOverrides\"")).once();

        StepOutcome failed = runner.run(step("v20", null), trainer(TrainingEngine.TrainJob), null).outcome();
        assertEquals(StepOutcome.State.FAILED, failed.state());
        assertEquals(Reason.EngineVersionUnsupported, failed.reason());
        assertTrue(failed.message().startsWith("this cluster's TrainJob (trainer.kubeflow.org/v1alpha1) knows none of spec.runtimePatches"
                + " (Kubeflow Trainer v2.2 or later (runtimePatches)), spec.podTemplateOverrides"), failed.message());
    }

    @Test
    void aFieldTheCrdDropsIsNamedNotLost() {
        server.expect().get().withPath(PYTORCH_JOBS + "/dropped-train").andReturn(404, null).once();
        server.expect().post().withPath(PYTORCH_JOBS + "?fieldValidation=Strict").andReturn(400, refusal(400,
                "strict decoding error: unknown field \"spec.nprocPerNode\"")).once();

        StepOutcome failed = runner.run(step("dropped", null), trainer(TrainingEngine.PyTorchJob), null).outcome();
        assertEquals(Reason.EngineVersionUnsupported, failed.reason());
        assertTrue(failed.message().startsWith("this cluster's PyTorchJob (kubeflow.org/v1) does not know spec.nprocPerNode"), failed.message());
    }

    @Test
    void aRefusalThatWillNeverPassEndsTheStepAsRejected() {
        server.expect().get().withPath(PYTORCH_JOBS + "/refused-train").andReturn(404, null).once();
        server.expect().post().withPath(PYTORCH_JOBS + "?fieldValidation=Strict").andReturn(422, refusal(422,
                "PyTorchJob.kubeflow.org \"refused-train\" is invalid: spec.pytorchReplicaSpecs: Invalid value: a webhook said no")).once();

        StepOutcome failed = runner.run(step("refused", null), trainer(TrainingEngine.PyTorchJob), null).outcome();
        assertEquals(StepOutcome.State.FAILED, failed.state());
        assertEquals(Reason.PyTorchJobRejected, failed.reason());
        assertEquals("the API server refused the PyTorchJob refused-train: PyTorchJob.kubeflow.org \"refused-train\" is invalid: "
                + "spec.pytorchReplicaSpecs: Invalid value: a webhook said no", failed.message());
    }

    private static io.fabric8.kubernetes.api.model.Status refusal(int code, String message) {
        return new StatusBuilder().withCode(code).withStatus("Failure").withReason(code == 422 ? "Invalid" : "BadRequest").withMessage(message).build();
    }

    private static TrainerTemplate trainer(TrainingEngine engine) {
        TrainerTemplate t = new TrainerTemplate();
        t.engine = engine;
        t.nodes = 2;
        return t;
    }

    private static StepJob step(String run, Long deadline) {
        TrainingRun owner = new TrainingRun();
        owner.setMetadata(new ObjectMetaBuilder().withName(run).withNamespace("ml").withUid("uid-" + run).build());
        return StepJob.of(owner, StepName.TRAIN, Manifests.dataset("fashion", "ml")).activeDeadlineSeconds(deadline).build();
    }
}
