package dev.winnow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.winnow.contract.DetectionAggregation;
import dev.winnow.contract.Strategy;
import io.fabric8.generator.annotation.Required;

import java.util.Map;

/** A sampling strategy and its parameters. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class StrategySpec {
    @Required
    @JsonPropertyDescription("The strategy, e.g. Random, Margin, Entropy, Bald, Coreset, Badge; docs/sampling.md lists them with their needs.")
    public Strategy name;
    @JsonPropertyDescription("Strategy parameters, passed as --param key=value.")
    public Map<String, String> params;
    @JsonPropertyDescription("Object detection: how per-box scores become one score per image.")
    public DetectionAggregation detectionAggregation;
}
