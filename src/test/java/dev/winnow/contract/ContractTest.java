package dev.winnow.contract;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The contract's spellings, as docs/step-contract.md gives them to people writing their own step images. */
class ContractTest {

    @Test
    void theArtifactLayoutUnderARootAndRelativeToIt() {
        ArtifactLayout layout = new ArtifactLayout("s3://data/winnow");
        assertEquals("s3://data/winnow/datasets/fashion/manifest.jsonl", layout.manifest("fashion"));
        assertEquals("s3://data/winnow/tags/r1.txt", layout.tag("r1"));
        assertEquals("s3://data/winnow/runs/r1/model/", layout.model("r1"));
        assertEquals("s3://data/winnow/runs/r1/predictions/uid-1/", layout.predictions("r1", "uid-1"));
        assertEquals("s3://data/winnow/datasets/fashion/class-histogram.json", layout.classHistogram("fashion"));
        assertEquals("s3://data/winnow/runs/r1/train-ids.txt", layout.trainIds("r1"));
        assertEquals("s3://data/winnow/runs/r1/predict-ids.txt", layout.predictIds("r1"));
        assertEquals("s3://data/winnow/rounds/s1/selection.jsonl", layout.selection("s1"));
        assertEquals("tags/r1.txt", ArtifactLayout.RELATIVE.tag("r1"));
        assertEquals("tags/", ArtifactLayout.RELATIVE.tags());
    }

    @Test
    void stepNamesAreTheWorkersSubcommands() {
        assertEquals(List.of("index", "embed", "prepare", "train", "infer", "select", "await-labels"),
                Arrays.stream(StepName.values()).map(StepName::id).toList());
        assertEquals(StepName.AWAIT_LABELS, StepName.of("await-labels").orElseThrow());
    }

    @Test
    void inferenceOutputsDefaultToProbabilitiesAndEmbeddings() {
        assertEquals("probabilities,embeddings", InferenceOutput.envValue(null, 0));
        assertEquals("embeddings,mc-dropout:10", InferenceOutput.envValue(List.of(InferenceOutput.Embeddings), 10));
    }

    @Test
    void strategyIdsAreKebabCase() {
        assertEquals("least-confidence", Strategy.LeastConfidence.id());
        assertEquals(Strategy.ClusterMargin, Strategy.byId("cluster-margin").orElseThrow());
        assertEquals(List.of(Strategy.Random, Strategy.Coreset, Strategy.ClusterBalanced, Strategy.TypiClust,
                Strategy.ProbCover), Strategy.modelFreeOnes());
        // the papers' one-word names stay one word
        assertEquals("typiclust", Strategy.TypiClust.id());
        assertEquals(Strategy.ProbCover, Strategy.byId("probcover").orElseThrow());
    }
}
