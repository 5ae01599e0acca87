package dev.winnow.sampling.strategy;

import dev.winnow.sampling.SamplingException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** The strategies by --strategy name. */
public final class Strategies {
    private static final Map<String, Function<Params, Strategy>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("random", RandomStrategy::new);
        ALL.put("least-confidence", p -> new UncertaintyStrategy(Uncertainty.LEAST_CONFIDENCE, p));
        ALL.put("margin", p -> new UncertaintyStrategy(Uncertainty.MARGIN, p));
        ALL.put("ratio", p -> new UncertaintyStrategy(Uncertainty.RATIO, p));
        ALL.put("entropy", p -> new UncertaintyStrategy(Uncertainty.ENTROPY, p));
        ALL.put("uncertainty-mix", UncertaintyMix::new);
        ALL.put("bald", Bald::new);
        ALL.put("variation-ratio", VariationRatio::new);
        ALL.put("coreset", Coreset::new);
        ALL.put("cluster-balanced", ClusterBalanced::new);
        ALL.put("typiclust", TypiClust::new);
        ALL.put("probcover", ProbCover::new);
        ALL.put("coral", Coral::new);
        ALL.put("badge", Badge::new);
        ALL.put("cluster-margin", ClusterMargin::new);
        ALL.put("object-frequency", ObjectFrequency::new);
    }

    private Strategies() {
    }

    public static Set<String> names() {
        return ALL.keySet();
    }

    /** The named strategy configured by params; unknown names and parameters are errors. */
    public static Strategy create(String name, Map<String, String> params) {
        return factory(name).apply(new Params(params, name));
    }

    /**
     * The parameters a strategy takes, each with the default it reads when the parameter is absent
     * (null when it has none, or reads the parameter only while selecting).
     */
    public static Map<String, String> parameters(String name) {
        Params params = new Params(Map.of(), name);
        factory(name).apply(params);
        Map<String, String> out = new TreeMap<>();
        params.takes().forEach(key -> out.put(key, params.defaults().get(key)));
        return out;
    }

    private static Function<Params, Strategy> factory(String name) {
        Function<Params, Strategy> f = ALL.get(name);
        if (f == null) {
            throw new SamplingException("--strategy " + name + ": unknown strategy (known: "
                    + String.join(", ", ALL.keySet()) + ")");
        }
        return f;
    }
}
