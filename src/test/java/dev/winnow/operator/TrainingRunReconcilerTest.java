package dev.winnow.operator;

import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunSpec;
import dev.winnow.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingRunReconcilerTest extends ClusterTest {

    @Test
    void trainsThenInfersInShardsAndRecordsCheckpointPredictionsAndMetrics() {
        kubelet.on("train", (job, i, env) -> TestKubelet.PodResult.ok("{\"metrics\":{\"accuracy\":0.6,\"loss\":0.5},\"checkpoint\":\""
                + env.get("WINNOW_CHECKPOINT_OUT") + "\",\"trained\":100}"));
        create(Manifests.dataset("fashion"));
        TrainingRun run = Manifests.trainingRun("fashion-r1", "fashion");
        run.getSpec().inference = new TrainingRunSpec.Inference();
        run.getSpec().inference.shards = 4;
        run.getSpec().inference.mcDropoutSamples = 8;
        run.getSpec().seed = 11L;
        create(run);

        TrainingRun done = await(TrainingRun.class, "fashion-r1", s -> phase(s, "Succeeded"));
        var status = done.getStatus();
        assertEquals(0.6, status.accuracy, 1e-9);
        assertEquals(0.6, status.metrics.get("accuracy"), 1e-9);
        assertNotNull(status.trainAttempt, "the train pod whose outputs the run uses");
        String attempt = "s3://data/winnow/runs/fashion-r1/attempts/" + status.trainAttempt + "/";
        assertEquals(attempt + "model/", status.checkpoint, "the attempt's own place");
        assertEquals("s3://data/winnow/runs/fashion-r1/predictions/" + done.getMetadata().getUid() + "/", status.predictions,
                "the run's own directory: a run created again under this name never reads these part files");
        assertEquals(1000L, status.predicted, "four shards of 250");
        assertEquals(100L, status.trained);
        assertEquals(List.of("fashion-index-g1", "fashion-r1-train", "fashion-r1-infer"), kubelet.ran());

        Job infer = cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName("fashion-r1-infer").get();
        assertEquals("Indexed", infer.getSpec().getCompletionMode());
        assertEquals(4, infer.getSpec().getCompletions());
        assertEquals(4, infer.getSpec().getParallelism());
        Map<String, String> env = env(infer);
        assertEquals("4", env.get("WINNOW_SHARDS"));
        assertEquals("probabilities,embeddings,mc-dropout:8", env.get("WINNOW_OUTPUTS"));
        assertEquals(attempt + "model/", env.get("WINNOW_CHECKPOINT"));
        assertEquals(attempt + "predict-ids.txt", env.get("WINNOW_PREDICT_IDS"), "the ids the succeeded attempt prepared");
        assertEquals("11", env.get("WINNOW_SEED"), "MC dropout is seeded by the run's seed");

        Job train = cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName("fashion-r1-train").get();
        Map<String, String> trainEnv = env(train);
        assertEquals("train", trainEnv.get("WINNOW_STEP"));
        assertEquals("true", trainEnv.get("WINNOW_TRAIN_ALL_LABELED"));
        assertEquals("s3://data/winnow/runs/fashion-r1/attempts/$(WINNOW_ATTEMPT)/train-ids.txt", trainEnv.get("WINNOW_TRAIN_IDS"),
                "each pod writes under its own uid, which Kubernetes puts in WINNOW_ATTEMPT");
        assertEquals("Unlabeled", trainEnv.get("WINNOW_PREDICT_TARGET"));
        assertNull(trainEnv.get("WINNOW_RESUME_FROM"), "a first run starts fresh");
        assertEquals("11", trainEnv.get("WINNOW_SEED"), "training is seeded by the run's seed");
        assertEquals("prepare", train.getSpec().getTemplate().getSpec().getInitContainers().get(0).getName(),
                "an init container writes the id lists a trainer reads");
        assertEquals(List.of("worker", "prepare"), train.getSpec().getTemplate().getSpec().getInitContainers().get(0).getArgs());
    }

    @Test
    void resumesFromTheCheckpointOfTheRunItNames() {
        create(Manifests.dataset("fashion"));
        create(Manifests.trainingRun("fashion-r1", "fashion"));
        TrainingRun second = Manifests.trainingRun("fashion-r2", "fashion");
        second.getSpec().resumeFrom = new TrainingRunSpec.ResumeFrom();
        second.getSpec().resumeFrom.trainingRun = "fashion-r1";
        create(second);

        await(TrainingRun.class, "fashion-r2", s -> phase(s, "Succeeded"));
        Job train = cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName("fashion-r2-train").get();
        assertEquals(get(TrainingRun.class, "fashion-r1").getStatus().checkpoint, env(train).get("WINNOW_RESUME_FROM"));
        assertTrue(env(train).get("WINNOW_RESUME_FROM").contains("/runs/fashion-r1/attempts/"));
    }

    @Test
    void failingTrainStepIsRetriedThenFailsTheRunWithTheStepsMessage() {
        kubelet.on("train", (job, i, env) -> TestKubelet.PodResult.fail("{\"error\": \"no labeled samples to train on\"}"));
        create(Manifests.dataset("fashion"));
        TrainingRun run = Manifests.trainingRun("fashion-r1", "fashion");
        run.getSpec().backoffLimit = 1;
        create(run);

        TrainingRun failed = await(TrainingRun.class, "fashion-r1", s -> phase(s, "Failed"));
        var condition = Conditions.find(failed.getStatus(), Conditions.FAILED).orElseThrow();
        assertEquals("TrainFailed", condition.getReason());
        assertTrue(condition.getMessage().contains("no labeled samples to train on"), condition.getMessage());
        assertEquals(2, cluster.client.pods().inNamespace(MockCluster.NAMESPACE).withLabel("job-name", "fashion-r1-train")
                .list().getItems().size(), "one try plus backoffLimit 1 retry");
        assertTrue(kubelet.ran().stream().noneMatch(j -> j.endsWith("-infer")), "no inference after a failed training");
    }

    @Test
    void missingDatasetIsAConditionNotACrash() {
        create(Manifests.trainingRun("orphan", "nowhere"));

        TrainingRun waiting = await(TrainingRun.class, "orphan", s -> phase(s, "DatasetNotFound"));
        var progressing = Conditions.find(waiting.getStatus(), Conditions.PROGRESSING).orElseThrow();
        assertEquals("False", progressing.getStatus());
        assertEquals("Dataset 'nowhere' not found in namespace ml", progressing.getMessage());

        // when the Dataset appears the run goes ahead by itself
        create(Manifests.dataset("nowhere"));
        await(TrainingRun.class, "orphan", s -> phase(s, "Succeeded"));
    }

    @Test
    void waitsForTheDatasetToBeReady() {
        kubelet.manual();
        create(Manifests.dataset("slow"));
        create(Manifests.trainingRun("slow-r1", "slow"));
        await(TrainingRun.class, "slow-r1", s -> phase(s, "WaitingForDataset"));
        kubelet.automatic();
        await(TrainingRun.class, "slow-r1", s -> phase(s, "Succeeded"));
        assertTrue(Conditions.isTrue(get(Dataset.class, "slow").getStatus(), Conditions.READY));
    }

    static Map<String, String> env(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(v -> v.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
