package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class DatasetSpec {
    @Required
    @ValidationRule(value = "self == oldSelf", message = "task is immutable")
    public Enums.TaskType task;
    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Class names; a class's index is its position.")
    public List<String> classes;
    @Required
    @ValidationRule(value = "self == oldSelf", message = "source is immutable: sample ids would change under existing runs")
    public Source source;
    @Required
    public LabelsLocation labels;
    @Required
    @ValidationRule(value = "self == oldSelf", message = "artifacts is immutable: runs and tags live there")
    public Artifacts artifacts;
    public Storage storage;
    @JsonPropertyDescription("Container settings for the index step (resources, node placement).")
    public StepTemplate indexer;

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Source {
        @Required
        @Pattern(Validation.URI_PATTERN)
        public String uri;
        @Required
        public Enums.SourceFormat format;
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
        public S3 s3;
        @JsonPropertyDescription("PersistentVolumeClaims mounted into every step pod, for file:// URIs.")
        public List<Volume> volumes;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class S3 {
        @JsonPropertyDescription("S3 endpoint for MinIO, Ceph and the like; path-style addressing is used when set.")
        public String endpoint;
        public String region;
        @JsonPropertyDescription("Secret with keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")
        public String credentialsSecret;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class Volume {
        @Required
        @Pattern(Validation.NAME_PATTERN)
        public String name;
        @Required
        public String claimName;
        @Required
        @Pattern("^/.*")
        public String mountPath;
        public Boolean readOnly;
    }
}
