package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What the trainer starts from instead of random weights: the Dataset's own self-supervised encoder, or an
 * encoder at a URI. The train step gets it as WINNOW_BACKBONE; Winnow's trainer fine-tunes it under a new head.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(value = "has(self.uri) != (has(self.fromEmbedder) && self.fromEmbedder)",
        message = "backbone: give uri or fromEmbedder: true, exactly one")
public class Backbone {
    @JsonPropertyDescription("Start from the encoder the Dataset's embed step trained (needs the Dataset's spec.embedder).")
    public Boolean fromEmbedder;
    @Pattern(Validation.URI_PATTERN)
    @JsonPropertyDescription("Start from the encoder at this URI: for Winnow's trainer a directory as the embed step writes it"
            + " (encoder.params and encoder.json); your own image may read any format it likes, a TorchScript file say.")
    public String uri;

    public boolean fromEmbedder() {
        return Boolean.TRUE.equals(fromEmbedder);
    }
}
