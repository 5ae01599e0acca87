package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.winnow.contract.SourceFormat;
import dev.winnow.contract.Task;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

@JsonClassDescription("The pool, its labels and where Winnow writes; the operator never writes spec.")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class DatasetSpec {
    @Required
    @ValidationRule(value = "self == oldSelf", message = "task is immutable")
    @JsonPropertyDescription("Classification or ObjectDetection. Immutable.")
    public Task task;
    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Class names; a class's index is its position.")
    public List<String> classes;
    @Required
    @ValidationRule(value = "self == oldSelf", message = "source is immutable: sample ids would change under existing runs")
    @JsonPropertyDescription("Where the samples are. Immutable: sample ids would change under existing runs.")
    public Source source;
    @Required
    @JsonPropertyDescription("Where the labels are: people (or the simulated oracle) write there, the steps read from there.")
    public LabelsLocation labels;
    @Required
    @ValidationRule(value = "self == oldSelf", message = "artifacts is immutable: runs and tags live there")
    @JsonPropertyDescription("Where Winnow writes manifests, tags, models, predictions and selections. Immutable.")
    public Artifacts artifacts;
    @JsonPropertyDescription("How step pods reach the URIs: S3 settings and volumes for file:// URIs.")
    public Storage storage;
    @JsonPropertyDescription("Container settings for the index step (resources, node placement).")
    public StepTemplate indexer;
    @JsonPropertyDescription("Self-supervised embeddings of the pool, computed after indexing, for a model-free first pick ({} for Winnow's built-in encoder). Without it those picks measure distances in pooled pixels.")
    public EmbedderSpec embedder;

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Source {
        @Required
        @Pattern(Validation.URI_PATTERN)
        @JsonPropertyDescription("s3://bucket/prefix/ or file:///path of the samples.")
        public String uri;
        @Required
        @JsonPropertyDescription("Idx (MNIST-style IDX files), ImageFolder (PNG/JPEG files, flat or one folder per class) or Manifest (a JSON Lines file of {\"id\", \"uri\"}).")
        public SourceFormat format;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Artifacts {
        @Required
        @Pattern(Validation.URI_PATTERN)
        @JsonPropertyDescription("Root for manifests, tags, models, predictions and selections.")
        public String uri;
    }

    /** How step pods reach the URIs. The operator itself never does. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Storage {
        @JsonPropertyDescription("S3 or an S3-compatible store, for s3:// URIs.")
        public S3 s3;
        @JsonPropertyDescription("PersistentVolumeClaims mounted into every step pod, for file:// URIs.")
        public List<Volume> volumes;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class S3 {
        @Pattern("^https?://[^\\s/]+(/\\S*)?$")
        @JsonPropertyDescription("S3 endpoint for MinIO, Ceph and the like, an http:// or https:// URL; path-style addressing is used when set.")
        public String endpoint;
        @JsonPropertyDescription("Region, passed to the steps as AWS_REGION.")
        public String region;
        @Pattern(Validation.SUBDOMAIN_PATTERN)
        @Size(max = Validation.MAX_SUBDOMAIN)
        @JsonPropertyDescription("Secret with keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")
        public String credentialsSecret;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Volume {
        @Required
        @Pattern(Validation.NAME_PATTERN)
        @JsonPropertyDescription("Volume name in the step pods.")
        public String name;
        @Required
        @Pattern(Validation.SUBDOMAIN_PATTERN)
        @Size(max = Validation.MAX_SUBDOMAIN)
        @JsonPropertyDescription("PersistentVolumeClaim in the Dataset's namespace.")
        public String claimName;
        @Required
        @Pattern("^/.*")
        @JsonPropertyDescription("Absolute path the claim is mounted at; file:// URIs point below it.")
        public String mountPath;
        @JsonPropertyDescription("Mount the volume read-only.")
        public Boolean readOnly;
    }
}
