package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A labels store: a URI and its format. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class LabelsLocation {
    @Required
    @Pattern(Validation.URI_PATTERN)
    public String uri;
    @Required
    public Enums.LabelFormat format;
}
