package dev.winnow.operator;

import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.EmbedderSpec;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.contract.Strategy;
import dev.winnow.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Dataset's embedder on the mock API: index, then the embed Job, its figures in status, and the picks that read them. */
class DatasetEmbeddingsTest {
    static final String EMBEDDINGS = "s3://data/winnow/datasets/fashion/embeddings/";
    MockCluster cluster;
    TestKubelet kubelet;
    final Map<String, Map<String, String>> selectEnv = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        cluster = new MockCluster();
        kubelet = FakeSteps.install(new TestKubelet(cluster.client), r -> 0.5)
                .on("embed", (job, i, env) -> TestKubelet.PodResult.ok("{\"embeddings\":\"" + env.get("WINNOW_EMBEDDINGS_OUT")
                        + "\",\"count\":250,\"dims\":32,\"epochs\":3,\"trainedOn\":200,\"firstLoss\":5.4,\"loss\":4.1,\"seconds\":95.5}"))
                .on("select", (job, i, env) -> {
                    selectEnv.put(job.getMetadata().getName(), env);
                    String space = env.containsKey("WINNOW_EMBEDDINGS") ? "SelfSupervised" : "Pixels";
                    return TestKubelet.PodResult.ok("{\"selected\":10,\"selection\":\"" + env.get("WINNOW_SELECTION_OUT")
                            + "\",\"sha256\":\"0123abcd\",\"embeddingSpace\":\"" + space + "\"}");
                })
                .automatic();
        cluster.startOperator();
    }

    @AfterEach
    void stop() {
        kubelet.close();
        cluster.close();
    }

    Dataset get(String name) {
        return cluster.client.resources(Dataset.class).inNamespace(MockCluster.NAMESPACE).withName(name).get();
    }

    SelectionRound round(String name) {
        return cluster.client.resources(SelectionRound.class).inNamespace(MockCluster.NAMESPACE).withName(name).get();
    }

    static Dataset withEmbedder() {
        Dataset dataset = Manifests.dataset("fashion");
        dataset.getSpec().embedder = new EmbedderSpec();
        dataset.getSpec().embedder.epochs = 3;
        dataset.getSpec().embedder.dims = 32;
        return dataset;
    }

    @Test
    void theEmbedJobFollowsTheIndexAndItsFiguresGoToStatus() {
        cluster.client.resource(withEmbedder()).create();

        Eventually.until(Duration.ofSeconds(20), () -> get("fashion").getStatus() != null
                && Conditions.isTrue(get("fashion").getStatus(), Conditions.EMBEDDED), () -> String.valueOf(get("fashion").getStatus()));
        var status = get("fashion").getStatus();
        assertEquals("Ready", status.phase);
        assertTrue(Conditions.isTrue(status, Conditions.READY));
        assertEquals("fashion-embed-g1", status.embedding.job);
        assertEquals(EMBEDDINGS, status.embedding.uri);
        assertEquals(250L, status.embedding.count);
        assertEquals(32, status.embedding.dims);
        assertEquals(4.1, status.embedding.loss);
        assertEquals(200L, status.embedding.trainedOn);
        assertTrue(status.message.contains("contrastive loss 5.400 -> 4.100 over 3 epochs"), status.message);
        assertEquals(java.util.List.of("fashion-index-g1", "fashion-embed-g1"), kubelet.ran());

        Job embed = cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName("fashion-embed-g1").get();
        Map<String, String> env = embed.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertEquals("embed", env.get("WINNOW_STEP"));
        assertEquals(EMBEDDINGS, env.get("WINNOW_EMBEDDINGS_OUT"));
        assertEquals("3", env.get("WINNOW_EPOCHS"));
        assertEquals("32", env.get("WINNOW_EMBED_DIMS"));
        assertEquals(java.util.List.of("worker", "embed"), embed.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
    }

    @Test
    void aModelFreePickWaitsForTheEmbeddingsThenMeasuresInThem() {
        kubelet.hold("fashion-embed-g1");
        cluster.client.resource(withEmbedder()).create();
        SelectionRound pick = Manifests.selectionRound("initial", "fashion", null, 10);
        pick.getSpec().strategy = Manifests.strategy(Strategy.TypiClust);
        cluster.client.resource(pick).create();

        Eventually.until(Duration.ofSeconds(20), () -> round("initial").getStatus() != null
                && "WaitingForEmbeddings".equals(round("initial").getStatus().phase), () -> String.valueOf(round("initial").getStatus()));
        assertTrue(selectEnv.isEmpty(), "no select Job while the embeddings are being computed");
        assertEquals("Embedding", get("fashion").getStatus().phase);

        kubelet.release("fashion-embed-g1");
        Eventually.until(Duration.ofSeconds(20), () -> round("initial").getStatus().selection != null,
                () -> String.valueOf(round("initial").getStatus()));
        assertEquals(EMBEDDINGS, selectEnv.get("initial-select").get("WINNOW_EMBEDDINGS"));
        assertEquals("SelfSupervised", round("initial").getStatus().embeddingSpace);
    }

    @Test
    void aRandomPickDoesNotWaitForEmbeddings() {
        kubelet.hold("fashion-embed-g1");
        cluster.client.resource(withEmbedder()).create();
        cluster.client.resource(Manifests.selectionRound("initial", "fashion", null, 10)).create();

        Eventually.until(Duration.ofSeconds(20), () -> round("initial").getStatus() != null
                && round("initial").getStatus().selection != null, () -> String.valueOf(round("initial").getStatus()));
        assertNull(selectEnv.get("initial-select").get("WINNOW_EMBEDDINGS"));
    }

    @Test
    void aFailedEmbedKeepsTheDatasetReadyAndHoldsTheModelFreePickWithTheReason() {
        kubelet.on("embed", (job, i, env) -> TestKubelet.PodResult.fail("{\"error\": \"out of memory\"}"));
        cluster.client.resource(withEmbedder()).create();
        SelectionRound pick = Manifests.selectionRound("initial", "fashion", null, 10);
        pick.getSpec().strategy = Manifests.strategy(Strategy.Coreset);
        cluster.client.resource(pick).create();

        Eventually.until(Duration.ofSeconds(20), () -> round("initial").getStatus() != null
                && "EmbedFailed".equals(round("initial").getStatus().phase), () -> String.valueOf(round("initial").getStatus()));
        var dataset = get("fashion").getStatus();
        assertTrue(Conditions.isTrue(dataset, Conditions.READY));
        assertEquals("EmbedFailed", dataset.phase);
        assertTrue(Conditions.find(dataset, Conditions.EMBEDDED).orElseThrow().getMessage().contains("out of memory"));
        assertTrue(round("initial").getStatus().message.contains("remove it to pick on pooled pixels"), round("initial").getStatus().message);
        assertTrue(selectEnv.isEmpty());
    }

    @Test
    void withoutAnEmbedderAModelFreePickUsesPixelsAndNoEmbedJobRuns() {
        cluster.client.resource(Manifests.dataset("fashion")).create();
        SelectionRound pick = Manifests.selectionRound("initial", "fashion", null, 10);
        pick.getSpec().strategy = Manifests.strategy(Strategy.Coreset);
        cluster.client.resource(pick).create();

        Eventually.until(Duration.ofSeconds(20), () -> round("initial").getStatus() != null
                && round("initial").getStatus().selection != null, () -> String.valueOf(round("initial").getStatus()));
        assertEquals("Pixels", round("initial").getStatus().embeddingSpace);
        assertTrue(kubelet.ran().stream().noneMatch(j -> j.contains("embed")), kubelet.ran().toString());
        assertNull(get("fashion").getStatus().embedding);
    }
}
