package dev.winnow.contract;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * What an infer step writes besides MC-dropout samples. {@code WINNOW_OUTPUTS} lists them by
 * {@link #id()}, plus {@code mc-dropout:T} for T stochastic passes.
 */
public enum InferenceOutput {
    Probabilities,
    Embeddings;

    /** The prefix of the MC-dropout item of {@code WINNOW_OUTPUTS}. */
    public static final String MC_DROPOUT = "mc-dropout:";

    /** {@code probabilities}, {@code embeddings}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value of {@code WINNOW_OUTPUTS}: the outputs named (all when none are), then {@code mc-dropout:T} when T > 0. */
    public static String envValue(Collection<InferenceOutput> outputs, int mcSamples) {
        List<String> items = new ArrayList<>();
        for (InferenceOutput o : outputs == null || outputs.isEmpty() ? List.of(values()) : outputs) {
            items.add(o.id());
        }
        if (mcSamples > 0) {
            items.add(MC_DROPOUT + mcSamples);
        }
        return String.join(",", items);
    }
}
