package dev.winnow.local.bench;

import dev.winnow.local.demo.LearningCurve;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's report from finished loops: a table per strategy (printed and {@code report.csv}) and the mean
 * learning curves with a band of one sd over seeds ({@code learning-curve.svg}, {@code .png}). Loops that did not
 * succeed, or whose history lost its first rounds, are named and left out, so a mean never mixes ranges.
 */
public final class BenchReport {
    public static final String CSV = "report.csv";
    public static final String CSV_HEADER = "strategy,seeds,aubc_mean,aubc_sd,final_mean,final_sd,labels_to_target_mean,"
            + "seeds_reaching_target,target,select_seconds_mean";

    private final List<StrategySummary> rows;
    private final List<String> skipped;
    private final double target;
    private final String metric;

    private BenchReport(List<StrategySummary> rows, List<String> skipped, double target, String metric) {
        this.rows = rows;
        this.skipped = skipped;
        this.target = target;
        this.metric = metric;
    }

    /** Groups the loops by strategy; the rows rank by mean AUBC, best first. */
    public static BenchReport of(List<LoopResult> loops, double target, String metric) {
        Map<String, List<LoopResult>> byStrategy = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (LoopResult loop : loops) {
            String why = !loop.succeeded() ? "phase " + loop.phase()
                    : !loop.complete() ? "its history starts at round " + loop.rounds().get(0).round()
                    + " (status keeps the newest rounds only)"
                    : loop.curve().isEmpty() ? "no round reported " + metric : null;
            if (why != null) {
                skipped.add(loop.name() + ": " + why);
            } else {
                byStrategy.computeIfAbsent(loop.strategy(), k -> new ArrayList<>()).add(loop);
            }
        }
        List<StrategySummary> rows = byStrategy.entrySet().stream()
                .map(e -> StrategySummary.of(e.getKey(), e.getValue(), target))
                .sorted(Comparator.comparingDouble(StrategySummary::aubcMean).reversed()).toList();
        return new BenchReport(rows, skipped, target, metric);
    }

    public List<StrategySummary> rows() {
        return rows;
    }

    public List<String> skipped() {
        return skipped;
    }

    public void print(PrintStream out) {
        // the strategy column as wide as its longest name (a strategy with parameters is long)
        int width = Math.max(18, rows.stream().mapToInt(r -> r.strategy().length()).max().orElse(0));
        String header = "%-" + width + "s %5s  %-17s %-17s %-15s %9s%n";
        String row = "%-" + width + "s %5d  %-17s %-17s %-15s %9s%n";
        out.printf(Locale.ROOT, header, "strategy", "seeds", "AUBC (mean ± sd)",
                metric.length() > 10 ? "final (± sd)" : "final " + metric, "labels to " + fmt(target, 2), "select s");
        for (StrategySummary r : rows) {
            out.printf(Locale.ROOT, row, r.strategy(), r.seeds(),
                    fmt(r.aubcMean(), 4) + " ± " + fmt(r.aubcSd(), 4), fmt(r.finalMean(), 4) + " ± " + fmt(r.finalSd(), 4),
                    (r.reachedTarget() == 0 ? "-" : fmt(r.labelsToTargetMean(), 0)) + " (" + r.reachedTarget() + "/" + r.seeds() + ")",
                    fmt(r.selectSecondsMean(), 1));
        }
        if (rows.isEmpty()) {
            out.println("(no finished loop)");
        }
        skipped.forEach(s -> out.println("left out: " + s));
    }

    /** Writes report.csv and the pictures into dir; returns their paths. */
    public List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (StrategySummary r : rows) {
            csv.append(String.join(",", r.strategy(), Integer.toString(r.seeds()), csv(r.aubcMean(), 4), csv(r.aubcSd(), 4),
                    csv(r.finalMean(), 4), csv(r.finalSd(), 4), csv(r.labelsToTargetMean(), 0),
                    Integer.toString(r.reachedTarget()), csv(target, 4), csv(r.selectSecondsMean(), 2))).append('\n');
        }
        Path file = dir.resolve(CSV);
        Files.writeString(file, csv);
        List<LearningCurve.Series> series = rows.stream().map(r -> new LearningCurve.Series(
                r.strategy() + " (" + r.seeds() + (r.seeds() == 1 ? " seed)" : " seeds)"),
                r.curve().stream().map(p -> new LearningCurve.Point(p.labeled(), p.mean())).toList(),
                r.curve().stream().map(StrategySummary.CurvePoint::sd).toList())).toList();
        List<Path> written = new ArrayList<>();
        written.add(file);
        written.addAll(LearningCurve.write(dir, series));
        return written;
    }

    private static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String csv(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
