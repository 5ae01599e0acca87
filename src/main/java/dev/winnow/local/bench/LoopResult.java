package dev.winnow.local.bench;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What a benchmark needs of one loop, read from its status history: the strategy and seed (from the benchmark's
 * labels, else the spec), and per trained round the labeled count, the metric and the selection's time.
 *
 * @param complete false when the history no longer starts at round 1 (it keeps the newest rounds only)
 */
public record LoopResult(String name, String strategy, String seed, String phase, List<Round> rounds, boolean complete) {
    public record Round(int round, long labeled, Double metric, Double selectSeconds) {
    }

    public boolean succeeded() {
        return "Succeeded".equals(phase);
    }

    /** The rounds that reported the metric, as a curve. */
    public List<CurveMath.Point> curve() {
        return rounds.stream().filter(r -> r.metric() != null).map(r -> new CurveMath.Point(r.labeled(), r.metric())).toList();
    }

    /** The loops the selector matches, in one namespace or (null) all, sorted by name. */
    public static List<LoopResult> read(KubernetesClient client, String namespace, String selector, String metric) {
        var loops = namespace == null ? client.resources(ActiveLearningLoop.class).inAnyNamespace()
                : client.resources(ActiveLearningLoop.class).inNamespace(namespace);
        return loops.withLabelSelector(selector).list().getItems().stream()
                .map(l -> of(l, metric)).sorted(Comparator.comparing(LoopResult::name)).toList();
    }

    /** One loop's strategy, seed and curve of the metric. */
    public static LoopResult of(ActiveLearningLoop loop, String metric) {
        Map<String, String> labels = loop.getMetadata().getLabels() == null ? Map.of() : loop.getMetadata().getLabels();
        var spec = loop.getSpec();
        String strategy = labels.get(BenchLabels.STRATEGY);
        if (strategy == null && spec != null && spec.round != null && spec.round.selection != null
                && spec.round.selection.strategy != null && spec.round.selection.strategy.name != null) {
            strategy = spec.round.selection.strategy.name.id();
        }
        String seed = labels.getOrDefault(BenchLabels.SEED, spec == null || spec.seed == null ? "0" : spec.seed.toString());
        ActiveLearningLoopStatus status = loop.getStatus();
        List<Round> rounds = new ArrayList<>();
        if (status != null && status.history != null) {
            for (var e : status.history) {
                if (e.round == null || e.labeled == null) {
                    continue;
                }
                Double value = e.metrics == null ? null : e.metrics.get(metric);
                rounds.add(new Round(e.round, e.labeled, value, e.selectSeconds));
            }
        }
        rounds.sort(Comparator.comparingInt(Round::round));
        boolean complete = rounds.isEmpty() || rounds.get(0).round() == 1;
        return new LoopResult(loop.getMetadata().getName(), strategy == null ? "?" : strategy, seed,
                status == null ? null : status.phase, rounds, complete);
    }
}
