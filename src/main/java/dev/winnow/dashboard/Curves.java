package dev.winnow.dashboard;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.local.bench.BenchLabels;
import dev.winnow.local.bench.LoopResult;
import dev.winnow.local.bench.StrategySummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A loop's learning curve for the chart: the metric against labels from {@code status.history}, one line per loop.
 * A loop of a benchmark (label {@value BenchLabels#BENCH}) is drawn with the other loops of its benchmark and, per
 * strategy with two seeds or more, the benchmark report's mean and ±1 sd band ({@link StrategySummary}), so the
 * page and {@code winnow report} agree. The lines share one x axis (nulls where a line has no point), as the chart
 * library wants.
 */
public final class Curves {
    static final String DEFAULT_METRIC = "accuracy";

    private Curves() {
    }

    /**
     * @param role {@code loop} (another loop of the benchmark), {@code self} (the page's loop), {@code mean},
     *             {@code lower} or {@code upper} (the band's edges)
     */
    public record Line(String label, String role, String strategy, List<Double> values) {
    }

    public record Chart(String metric, List<Long> labeled, List<Line> lines) {
    }

    public static Chart of(Snapshot s, ActiveLearningLoop loop) {
        String metric = loop.getStatus() != null && loop.getStatus().metricName != null ? loop.getStatus().metricName
                : DEFAULT_METRIC;
        String bench = Snapshot.labels(loop).get(BenchLabels.BENCH);
        List<ActiveLearningLoop> group = bench == null ? List.of(loop) : s.loops().stream()
                .filter(l -> Snapshot.sameNamespace(l, loop) && bench.equals(Snapshot.labels(l).get(BenchLabels.BENCH))).toList();
        List<LoopResult> results = group.stream().map(l -> LoopResult.of(l, metric))
                .sorted(java.util.Comparator.comparing(LoopResult::name)).toList();
        Map<String, List<LoopResult>> byStrategy = new LinkedHashMap<>();
        results.stream().filter(r -> !r.curve().isEmpty())
                .forEach(r -> byStrategy.computeIfAbsent(r.strategy(), k -> new ArrayList<>()).add(r));

        TreeSet<Long> xs = new TreeSet<>();
        results.forEach(r -> r.curve().forEach(p -> xs.add(p.labeled())));
        List<Long> x = List.copyOf(xs);
        List<Line> lines = new ArrayList<>();
        for (LoopResult r : results) {
            Map<Long, Double> at = new LinkedHashMap<>();
            r.curve().forEach(p -> at.put(p.labeled(), p.metric()));
            String role = r.name().equals(loop.getMetadata().getName()) ? "self" : "loop";
            lines.add(new Line(r.name(), role, r.strategy(), align(x, at)));
        }
        byStrategy.forEach((strategy, loops) -> {
            if (loops.size() >= 2) {
                lines.addAll(band(x, StrategySummary.of(strategy, loops, Double.NaN)));
            }
        });
        return new Chart(metric, x, lines);
    }

    private static List<Line> band(List<Long> x, StrategySummary summary) {
        String name = summary.strategy() + " (" + summary.seeds() + " seeds)";
        return List.of(edge(x, summary, name + " mean", "mean", p -> p.mean()),
                edge(x, summary, name + " -1 sd", "lower", p -> p.mean() - p.sd()),
                edge(x, summary, name + " +1 sd", "upper", p -> p.mean() + p.sd()));
    }

    private static Line edge(List<Long> x, StrategySummary summary, String label, String role,
                             Function<StrategySummary.CurvePoint, Double> value) {
        Map<Long, Double> at = new LinkedHashMap<>();
        summary.curve().forEach(p -> at.put(p.labeled(), value.apply(p)));
        return new Line(label, role, summary.strategy(), align(x, at));
    }

    private static List<Double> align(List<Long> x, Map<Long, Double> at) {
        return x.stream().map(at::get).toList();
    }
}
