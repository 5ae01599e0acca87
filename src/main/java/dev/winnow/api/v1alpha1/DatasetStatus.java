package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Size;

import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class DatasetStatus extends WinnowStatus {
    /** At most this many tags are listed; the tag files themselves are the record. */
    public static final int MAX_TAGS = 50;

    @PrinterColumn(name = "Samples")
    @JsonPropertyDescription("Samples in the pool.")
    public Long samples;
    @PrinterColumn(name = "Labeled")
    public Long labeled;
    @JsonPropertyDescription("Labeled samples per class name.")
    public Map<String, Long> classHistogram;
    @Size(max = MAX_TAGS)
    @JsonPropertyDescription("The newest tags, at most 50.")
    public List<TagStatus> tags;
    @JsonPropertyDescription("URI of the pool manifest written by the index step.")
    public String manifest;
    public String indexJob;
    @JsonPropertyDescription("When the index step last finished.")
    public String indexedAt;

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class TagStatus {
        public String name;
        public Long count;
        public String uri;
        public String sha256;
    }
}
