package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.winnow.contract.LabelFormat;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A labels store: a URI and its format. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class LabelsLocation {
    @Required
    @Pattern(Validation.URI_PATTERN)
    @JsonPropertyDescription("s3://bucket/prefix/ or file:///path of the labels.")
    public String uri;
    @Required
    @JsonPropertyDescription("Jsonl ({\"id\", \"label\"} per line), Kitti, Coco, Yolo, LabelStudio (its JSON export or target storage files) or Cvat (CVAT for images 1.1 XML).")
    public LabelFormat format;
}
