package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Size;

import java.util.List;
import java.util.Map;

@JsonClassDescription("What the operator observed of indexing: conditions Ready and Progressing with reasons, a phase for people, and the index step's counts and tags.")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class DatasetStatus extends WinnowStatus {
    /** At most this many tags are listed; the tag files themselves are the record. */
    public static final int MAX_TAGS = 50;

    @PrinterColumn(name = "Samples")
    @JsonPropertyDescription("Samples in the pool.")
    public Long samples;
    @PrinterColumn(name = "Labeled")
    @JsonPropertyDescription("Samples with a label in the labels store when the index step last ran.")
    public Long labeled;
    @JsonPropertyDescription("Labeled samples per class name, when the index step's message could hold it whole; classHistogramUri always has it.")
    public Map<String, Long> classHistogram;
    @JsonPropertyDescription("URI of class-histogram.json, the labeled samples of every class, written by the index step.")
    public String classHistogramUri;
    @JsonPropertyDescription("SHA-256 of class-histogram.json.")
    public String classHistogramSha256;
    @Size(max = MAX_TAGS)
    @JsonPropertyDescription("The newest tags, at most 50.")
    public List<TagStatus> tags;
    @JsonPropertyDescription("URI of the pool manifest written by the index step.")
    public String manifest;
    @JsonPropertyDescription("The Job of the latest index step.")
    public String indexJob;
    @JsonPropertyDescription("When the index step last finished.")
    public String indexedAt;

    @JsonPropertyDescription("The embed step's result, when spec.embedder asks for embeddings.")
    public EmbeddingStatus embedding;

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class EmbeddingStatus {
        @JsonPropertyDescription("The Job of the latest embed step.")
        public String job;
        @JsonPropertyDescription("Directory with embeddings.npy and ids.txt of the whole pool; set once the step succeeded.")
        public String uri;
        @JsonPropertyDescription("Directory of the built-in encoder's weights, a backbone for trainer.backbone.fromEmbedder; absent when an embedder image wrote none.")
        public String encoder;
        @JsonPropertyDescription("Samples embedded.")
        public Long count;
        @JsonPropertyDescription("Width of the embeddings.")
        public Integer dims;
        @JsonPropertyDescription("Training epochs of the encoder.")
        public Integer epochs;
        @JsonPropertyDescription("Images the encoder trained on.")
        public Long trainedOn;
        @JsonPropertyDescription("Mean contrastive loss of the first epoch.")
        public Double firstLoss;
        @JsonPropertyDescription("Mean contrastive loss of the last epoch.")
        public Double loss;
        @JsonPropertyDescription("Seconds the step took, training and embedding.")
        public Double seconds;
        @JsonPropertyDescription("When the embed step last finished.")
        public String embeddedAt;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class TagStatus {
        @JsonPropertyDescription("Tag name: a SelectionRound's tag, such as <loop>-r1.")
        public String name;
        @JsonPropertyDescription("Samples in the tag.")
        public Long count;
        @JsonPropertyDescription("URI of the tag file, one sample id a line.")
        public String uri;
        @JsonPropertyDescription("SHA-256 of the tag file.")
        public String sha256;
    }
}
