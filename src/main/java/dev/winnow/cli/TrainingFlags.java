package dev.winnow.cli;

import dev.winnow.api.v1alpha1.PseudoLabelsSpec;
import dev.winnow.local.demo.TrainingOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --backbone} and {@code --pseudo-labels}: the label-efficiency options of {@code demo} and {@code bench}. */
final class TrainingFlags {
    @Option(names = "--backbone", description = "The trainer starts from the Dataset's self-supervised encoder "
            + "(trainer.backbone.fromEmbedder; the Dataset gets the built-in embedder unless it has one). "
            + "See docs/quality.md, Label efficiency.")
    boolean backbone;

    // the CRD's defaults, so that the bare flag and a spec without values mean the same
    @Option(names = "--pseudo-labels", arity = "0..1", paramLabel = "THRESHOLD[:DECAY]",
            fallbackValue = "" + PseudoLabelsSpec.DEFAULT_THRESHOLD,
            description = "From round 2, training also uses the previous round's confident predictions (spec.pseudoLabels; "
                    + "threshold " + PseudoLabelsSpec.DEFAULT_THRESHOLD + ", decay " + PseudoLabelsSpec.DEFAULT_DECAY
                    + " unless given). Never counted as labels.")
    String pseudoLabels;

    /** The options, refused for detection: pseudo-labels are class predictions, and the built-in detector takes no backbone. */
    TrainingOptions options(CommandSpec spec, boolean detection) {
        TrainingOptions options = options(spec);
        if (detection && !options.equals(TrainingOptions.NONE)) {
            throw new ParameterException(spec.commandLine(), "--backbone and --pseudo-labels are for classification; "
                    + "--task detection takes neither");
        }
        return options;
    }

    TrainingOptions options(CommandSpec spec) {
        TrainingOptions.PseudoLabels pseudo = pseudoLabels == null ? null : LocalRun.option(spec, "--pseudo-labels",
                () -> TrainingOptions.PseudoLabels.parse(pseudoLabels, PseudoLabelsSpec.DEFAULT_DECAY));
        return new TrainingOptions(backbone, pseudo);
    }
}
