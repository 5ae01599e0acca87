package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * The embed step: a self-supervised encoder trained on the unlabeled pool, whose embeddings the model-free
 * strategies (coreset, cluster-balanced, typiclust, probcover) use for a first pick instead of pooled pixels.
 * An empty object runs Winnow's built-in SimCLR encoder; an image of your own follows the same step contract.
 */
@JsonClassDescription("The embed step: self-supervised embeddings of the pool for a first, model-free pick. {} runs Winnow's built-in SimCLR encoder; an image of your own follows the step contract (docs/step-contract.md).")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class EmbedderSpec extends StepTemplate {
    @Min(1)
    @Max(10000)
    @JsonPropertyDescription("Training epochs over the sample (default 10). WINNOW_EPOCHS.")
    public Integer epochs;
    @Min(2)
    @Max(Integer.MAX_VALUE)
    @JsonPropertyDescription("How many pool images the encoder trains on, a seeded random subset (default 5000); every image is embedded. WINNOW_EMBED_SAMPLE_SIZE.")
    public Integer sampleSize;
    @Min(1)
    @Max(4096)
    @JsonPropertyDescription("Width of the embedding (default 64). WINNOW_EMBED_DIMS.")
    public Integer dims;
    @Min(0)
    @JsonPropertyDescription("Seed of the subsample, the initial weights and the augmentations (default 0): the same seed gives the same embeddings. WINNOW_SEED.")
    public Long seed;
}
