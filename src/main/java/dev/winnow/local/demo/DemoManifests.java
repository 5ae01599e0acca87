package dev.winnow.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.winnow.contract.LabelingMode;
import dev.winnow.contract.Input;
import dev.winnow.contract.Strategy;
import dev.winnow.contract.Task;
import dev.winnow.local.api.EmbeddedApiServer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a cluster manifest into the demo's: storage on the local disk, simulated labeling, and the command line's
 * settings in the loop's spec. Works on the YAML tree, so fields this class does not know pass through untouched.
 */
public final class DemoManifests {
    public static final String BUNDLED = "examples/fashion-mnist/loop.yaml";
    /** Stochastic passes the demo's inference makes when the strategy reads MC-dropout samples. */
    static final int MC_DROPOUT_SAMPLES = 10;
    /** Suffix of the baseline's Dataset and loop for --compare random. */
    public static final String BASELINE_SUFFIX = "-random";
    private static final YAMLMapper YAML = new YAMLMapper();

    /** The command line's say over the loop; null fields leave the manifest's value. */
    public record Settings(Path workdir, Path source, Integer rounds, Integer initial, String initialStrategy, Integer count,
                           String strategy, Long seed, boolean compareRandom, boolean embed, TrainingOptions training) {
        public Settings {
            training = training == null ? TrainingOptions.NONE : training;
        }

        public Settings(Path workdir, Path source, Integer rounds, Integer initial, String initialStrategy, Integer count,
                        String strategy, Long seed, boolean compareRandom, boolean embed) {
            this(workdir, source, rounds, initial, initialStrategy, count, strategy, seed, compareRandom, embed, TrainingOptions.NONE);
        }

        public Settings(Path workdir, Path source, Integer rounds, Integer initial, String initialStrategy, Integer count,
                        String strategy, Long seed, boolean compareRandom) {
            this(workdir, source, rounds, initial, initialStrategy, count, strategy, seed, compareRandom, false);
        }
    }

    private DemoManifests() {
    }

    public static List<ObjectNode> read(InputStream in) throws IOException {
        List<ObjectNode> docs = new ArrayList<>();
        try (var it = YAML.readValues(YAML.getFactory().createParser(in), JsonNode.class)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.isObject() && doc.has("kind")) {
                    docs.add((ObjectNode) doc);
                }
            }
        }
        return docs;
    }

    public static InputStream bundled() {
        InputStream in = DemoManifests.class.getClassLoader().getResourceAsStream(BUNDLED);
        if (in == null) {
            throw new IllegalStateException(BUNDLED + " is missing from the classpath");
        }
        return in;
    }

    /** The rewritten objects, baseline included when asked for, all in the demo's namespace. */
    public static List<ObjectNode> rewrite(List<ObjectNode> docs, Settings s) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode doc : docs) {
            ObjectNode d = doc.deepCopy();
            ((ObjectNode) d.with("metadata")).put("namespace", EmbeddedApiServer.NAMESPACE);
            switch (d.path("kind").asText()) {
                case "Dataset" -> {
                    localStorage(d, s.source(), s.workdir());
                    if (s.embed()) {
                        d.with("spec").with("embedder"); // {}: the built-in encoder, unless the manifest says more
                    }
                    s.training().applyToDataset(d);
                }
                case "ActiveLearningLoop" -> applySettings(d, s);
                case "SelectionRound" -> simulated(d);
                default -> {
                }
            }
            out.add(d);
        }
        if (s.compareRandom()) {
            out.addAll(baseline(out, s));
        }
        return out;
    }

    /** The same loop with random selection on its own copy of the Dataset (own labels, own artifacts). */
    static List<ObjectNode> baseline(List<ObjectNode> docs, Settings s) {
        List<ObjectNode> extra = new ArrayList<>();
        for (ObjectNode loop : docs) {
            if (!loop.path("kind").asText().equals("ActiveLearningLoop")) {
                continue;
            }
            String datasetName = loop.path("spec").path("datasetRef").asText();
            ObjectNode dataset = docs.stream().filter(d -> d.path("kind").asText().equals("Dataset")
                    && d.path("metadata").path("name").asText().equals(datasetName)).findFirst().orElse(null);
            if (dataset == null) {
                continue;
            }
            ObjectNode ds = dataset.deepCopy();
            ((ObjectNode) ds.get("metadata")).put("name", datasetName + BASELINE_SUFFIX);
            localStorage(ds, s.source(), s.workdir().resolve("baseline"));
            ObjectNode l = loop.deepCopy();
            ((ObjectNode) l.get("metadata")).put("name", loop.path("metadata").path("name").asText() + BASELINE_SUFFIX);
            ObjectNode spec = (ObjectNode) l.get("spec");
            spec.put("datasetRef", datasetName + BASELINE_SUFFIX);
            // the whole strategy: Random takes no params, nor a detection aggregation
            ((ObjectNode) spec.with("round").with("selection")).putObject("strategy").put("name", "Random");
            extra.add(ds);
            extra.add(l);
        }
        return extra;
    }

    private static void localStorage(ObjectNode dataset, Path source, Path root) {
        ObjectNode spec = (ObjectNode) dataset.with("spec");
        if (source != null) {
            ((ObjectNode) spec.with("source")).put("uri", fileUri(source));
        }
        ((ObjectNode) spec.with("labels")).put("uri", fileUri(root.resolve("labels")));
        ((ObjectNode) spec.with("artifacts")).put("uri", fileUri(root.resolve("artifacts")));
        // no S3 and no volumes: the steps are local processes that read the paths directly
        spec.remove("storage");
    }

    /** Puts the command line's settings (rounds, sizes, strategies, seed) into a loop; labeling becomes Simulated. */
    public static void applySettings(ObjectNode loop, Settings s) {
        ObjectNode spec = (ObjectNode) loop.with("spec");
        simulated(loop);
        if (s.rounds() != null) {
            ((ObjectNode) spec.with("stopWhen")).put("maxRounds", s.rounds());
        }
        if (s.initial() != null) {
            ((ObjectNode) spec.with("initialSelection")).put("count", s.initial());
        }
        if (s.initialStrategy() != null) {
            ((ObjectNode) spec.with("initialSelection").with("strategy")).put("name", initialStrategy(s.initialStrategy()).name());
        }
        if (s.count() != null) {
            ((ObjectNode) spec.with("round").with("selection")).put("count", s.count());
        }
        if (s.strategy() != null) {
            Strategy strategy = strategy(s.strategy());
            ((ObjectNode) spec.with("round").with("selection").with("strategy")).put("name", strategy.name());
            ObjectNode inference = (ObjectNode) spec.with("round").with("inference");
            if (strategy.inputs(Task.Classification).contains(Input.MC_DROPOUT_SAMPLES) && !inference.has("mcDropoutSamples")) {
                inference.put("mcDropoutSamples", MC_DROPOUT_SAMPLES); // bald and variation-ratio read them
            }
        }
        if (s.seed() != null) {
            spec.put("seed", s.seed());
        }
        s.training().applyToLoop(loop);
    }

    private static void simulated(ObjectNode doc) {
        ((ObjectNode) doc.with("spec").with("labeling")).put("mode", LabelingMode.Simulated.name());
    }

    /** "margin", "least-confidence" or "LeastConfidence" to the API's name. */
    public static Strategy strategy(String name) {
        for (Strategy st : Strategy.values()) {
            if (st.id().equals(name.toLowerCase(Locale.ROOT)) || st.name().equalsIgnoreCase(name)) {
                return st;
            }
        }
        throw new IllegalArgumentException("unknown strategy " + name + "; one of "
                + java.util.Arrays.stream(Strategy.values()).map(Strategy::id).toList());
    }

    /** A strategy for the first pick, which runs before any model exists. */
    public static Strategy initialStrategy(String name) {
        Strategy first = strategy(name);
        if (!first.modelFree()) {
            throw new IllegalArgumentException("the initial selection runs before any model, and " + first.id()
                    + " needs one; use one of " + java.util.Arrays.stream(Strategy.values()).filter(Strategy::modelFree)
                    .map(Strategy::id).toList());
        }
        return first;
    }

    static String fileUri(Path p) {
        String s = p.toAbsolutePath().normalize().toUri().toString();
        return s.endsWith("/") ? s : s + "/";
    }
}
