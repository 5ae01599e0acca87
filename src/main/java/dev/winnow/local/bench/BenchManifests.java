package dev.winnow.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.local.demo.DemoManifests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One manifest (a Dataset and its ActiveLearningLoop) made into a benchmark: a loop per strategy and seed, each
 * on its own copy of the Dataset (own labels and artifacts, same pool), labeled for the report and with
 * simulated labeling. Works on the YAML tree like {@link DemoManifests}, so unknown fields pass through.
 */
public final class BenchManifests {
    private BenchManifests() {
    }

    /** The benchmark's objects for a real cluster: each loop's labels and artifacts under its own prefix. */
    public static List<ObjectNode> forCluster(List<ObjectNode> docs, BenchPlan plan) {
        List<ObjectNode> out = new ArrayList<>();
        for (LoopPair pair : pairs(docs, plan)) {
            out.add(pair.dataset());
            out.add(pair.loop());
        }
        return out;
    }

    /** The benchmark's objects for the embedded API: each loop's storage in {@code <workdir>/loops/<loop>}. */
    public static List<ObjectNode> forDemo(List<ObjectNode> docs, BenchPlan plan, Path workdir, Path source) {
        List<ObjectNode> out = new ArrayList<>();
        for (LoopPair pair : pairs(docs, plan)) {
            Path root = loopRoot(workdir, pair.name());
            var settings = new DemoManifests.Settings(root, source, null, null, null, null, null, null, false);
            out.addAll(DemoManifests.rewrite(List.of(pair.dataset(), pair.loop()), settings));
        }
        return out;
    }

    /** Where a loop of a benchmark on this machine keeps its labels and artifacts. */
    public static Path loopRoot(Path workdir, String loop) {
        return workdir.resolve("loops").resolve(loop);
    }

    record LoopPair(String name, ObjectNode dataset, ObjectNode loop) {
    }

    static List<LoopPair> pairs(List<ObjectNode> docs, BenchPlan plan) {
        List<ObjectNode> loops = docs.stream().filter(d -> kind(d, "ActiveLearningLoop")).toList();
        if (loops.size() != 1) {
            throw new IllegalArgumentException("a benchmark starts from a manifest with one ActiveLearningLoop; this one has "
                    + loops.size());
        }
        ObjectNode loop = loops.get(0);
        String datasetName = loop.path("spec").path("datasetRef").asText();
        ObjectNode dataset = docs.stream().filter(d -> kind(d, "Dataset")
                        && d.path("metadata").path("name").asText().equals(datasetName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the manifest has no Dataset " + datasetName
                        + ", which the loop's datasetRef names"));
        List<LoopPair> pairs = new ArrayList<>();
        for (BenchStrategy strategy : plan.strategies()) {
            for (long seed : plan.seeds()) {
                String name = plan.loopName(strategy, seed);
                pairs.add(new LoopPair(name, dataset(dataset, name, plan, strategy, seed),
                        loop(loop, name, plan, strategy, seed)));
            }
        }
        return pairs;
    }

    private static ObjectNode dataset(ObjectNode original, String name, BenchPlan plan, BenchStrategy strategy, long seed) {
        ObjectNode d = original.deepCopy();
        metadata(d, name, plan, strategy, seed);
        ObjectNode spec = (ObjectNode) d.with("spec");
        plan.training().applyToDataset(d);
        // Simulated labeling writes labels: every loop needs its own, or one loop's picks would train another
        for (String field : List.of("labels", "artifacts")) {
            ObjectNode location = (ObjectNode) spec.with(field);
            String uri = location.path("uri").asText("");
            if (!uri.isEmpty()) {
                location.put("uri", (uri.endsWith("/") ? uri : uri + "/") + name + "/");
            }
        }
        return d;
    }

    private static ObjectNode loop(ObjectNode original, String name, BenchPlan plan, BenchStrategy strategy, long seed) {
        ObjectNode l = original.deepCopy();
        metadata(l, name, plan, strategy, seed);
        ObjectNode spec = (ObjectNode) l.with("spec");
        spec.put("datasetRef", name);
        // same initial strategy, size and seed in every loop of a seed: the same first pick for every strategy
        String before = spec.path("round").path("selection").path("strategy").path("name").asText();
        DemoManifests.applySettings(l, new DemoManifests.Settings(null, null, plan.rounds(), plan.initial(),
                plan.initialStrategy(), plan.count(), strategy.strategy().id(), seed, false));
        // the variant's parameters; the manifest's own only stay with the strategy they were written for
        ObjectNode selected = (ObjectNode) spec.with("round").with("selection").with("strategy");
        if (!strategy.params().isEmpty()) {
            ObjectNode params = selected.putObject("params");
            strategy.params().forEach(params::put);
        } else if (!strategy.strategy().name().equals(before)) {
            selected.remove("params");
        }
        ObjectNode stop = (ObjectNode) spec.with("stopWhen");
        // every loop runs all its rounds, so the curves share a range and their areas compare
        stop.remove(List.of("metric", "plateau", "labelBudget"));
        if (!stop.path("maxRounds").canConvertToInt()) {
            throw new IllegalArgumentException("a benchmark needs a number of rounds: --rounds or stopWhen.maxRounds");
        }
        ObjectNode round = (ObjectNode) spec.with("round");
        if (plan.resumeFromPrevious() != null) {
            round.put("resumeFromPrevious", plan.resumeFromPrevious());
        }
        if (!plan.trainerEnv().isEmpty()) {
            setEnv((ObjectNode) round.with("trainer"), plan.trainerEnv());
        }
        plan.training().applyToLoop(l);
        return l;
    }

    private static void metadata(ObjectNode doc, String name, BenchPlan plan, BenchStrategy strategy, long seed) {
        ObjectNode metadata = (ObjectNode) doc.with("metadata");
        metadata.put("name", name);
        ObjectNode labels = (ObjectNode) metadata.with("labels");
        labels.put(BenchLabels.BENCH, plan.name());
        labels.put(BenchLabels.STRATEGY, plan.rowId(strategy));
        labels.put(BenchLabels.SEED, Long.toString(seed));
    }

    /** Sets the variables in a container template's env, replacing entries of the same name. */
    private static void setEnv(ObjectNode template, Map<String, String> vars) {
        JsonNode existing = template.path("env");
        ArrayNode env = template.putArray("env");
        if (existing.isArray()) {
            existing.forEach(e -> {
                if (!vars.containsKey(e.path("name").asText())) {
                    env.add(e);
                }
            });
        }
        vars.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> env.addObject().put("name", e.getKey()).put("value", e.getValue()));
    }

    private static boolean kind(ObjectNode doc, String kind) {
        return doc.path("kind").asText().equals(kind);
    }
}
