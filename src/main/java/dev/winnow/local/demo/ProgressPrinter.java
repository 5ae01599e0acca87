package dev.winnow.local.demo;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopStatus;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.local.api.EmbeddedApiServer;
import dev.winnow.local.api.HumanDuration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the user sees while the demo runs: one line per finished step with the time since the start, and a
 * table row per trained round as it appears in the loop's status history. Keeps the rows for rounds.csv and
 * the learning curve. Called from informer threads, hence synchronized.
 */
public final class ProgressPrinter {
    private final PrintStream out;
    private final Instant start;
    private final KubernetesClient client;
    private final Set<String> printedJobs = new HashSet<>();
    private final Map<String, List<RoundsCsv.Row>> rows = new LinkedHashMap<>();
    private boolean headerPrinted;
    /** The metric of the table and the curve: the loops' stop metric, accuracy when they name none. */
    private String metric;

    public ProgressPrinter(PrintStream out, Instant start, KubernetesClient client) {
        this.out = out;
        this.start = start;
        this.client = client;
    }

    /** Prints a line the first time a Job is seen finished. */
    public synchronized void jobChanged(Job job) {
        JobCondition done = finished(job);
        if (done == null || !printedJobs.add(job.getMetadata().getUid())) {
            return;
        }
        Duration took = between(job.getStatus().getStartTime(), done.getLastTransitionTime());
        String line = String.format(Locale.ROOT, "[%s] %-13s %-34s %s%s", elapsed(), step(job),
                job.getMetadata().getName(), done.getType().equals("Complete") ? "done" : "FAILED",
                took == null ? "" : " in " + HumanDuration.format(took));
        if (done.getType().equals("Failed") && done.getMessage() != null) {
            line += ": " + done.getMessage();
        }
        out.println(line);
    }

    /** Prints the table rows of rounds the loop's history gained since the last call. */
    public synchronized void loopChanged(ActiveLearningLoop loop) {
        ActiveLearningLoopStatus status = loop.getStatus();
        if (status == null || status.history == null) {
            return;
        }
        String name = loop.getMetadata().getName();
        List<RoundsCsv.Row> seen = rows.computeIfAbsent(name, k -> new ArrayList<>());
        for (ActiveLearningLoopStatus.RoundEntry e : status.history) {
            if (e.round == null || seen.stream().anyMatch(r -> r.round() == e.round)) {
                continue;
            }
            if (metric == null) {
                metric = metricOf(loop, e);
            }
            Double accuracy = e.metrics == null ? null : e.metrics.get(metric);
            RoundsCsv.Row row = new RoundsCsv.Row(e.round, e.labeled == null ? 0 : e.labeled, accuracy,
                    selectionSeconds(selectionBefore(loop, e.round)), strategy(loop, e.selectionRound));
            seen.add(row);
            if (!headerPrinted) {
                out.println();
                out.printf(Locale.ROOT, "  %-18s %5s %8s %9s %10s%n", "loop", "round", "labeled", metric, "selection");
                headerPrinted = true;
            }
            out.printf(Locale.ROOT, "  %-18s %5d %8d %9s %10s%n", name, row.round(), row.labeled(),
                    accuracy == null ? "-" : String.format(Locale.ROOT, "%.4f", accuracy),
                    row.selectionSeconds() == null ? "-" : String.format(Locale.ROOT, "%.1fs", row.selectionSeconds()));
        }
    }

    /** The metric the table shows (the first loop's stop metric, else accuracy, else the first round's quality metric). */
    public synchronized String metric() {
        return metric == null ? LearningCurve.DEFAULT_METRIC : metric;
    }

    private static String metricOf(ActiveLearningLoop loop, ActiveLearningLoopStatus.RoundEntry first) {
        var stop = loop.getSpec() == null ? null : loop.getSpec().stopWhen;
        if (stop != null && stop.metric != null && stop.metric.name != null) {
            return stop.metric.name;
        }
        // a benchmark drops the stop metric; a detector's rounds report map50 (and the loss), not accuracy
        if (first.metrics != null && !first.metrics.containsKey(LearningCurve.DEFAULT_METRIC)) {
            return first.metrics.keySet().stream().filter(k -> !k.equals("loss")).sorted().findFirst()
                    .orElse(LearningCurve.DEFAULT_METRIC);
        }
        return LearningCurve.DEFAULT_METRIC;
    }

    /** Rows of every loop, in the order the loops were first seen; for rounds.csv. */
    public synchronized List<RoundsCsv.Row> rows(List<String> loopOrder) {
        List<RoundsCsv.Row> all = new ArrayList<>();
        for (String loop : loopOrder) {
            all.addAll(rows.getOrDefault(loop, List.of()));
        }
        return all;
    }

    /** One series per loop, named by its strategy; rounds without accuracy are left out. */
    public synchronized List<LearningCurve.Series> series(List<String> loopOrder) {
        List<LearningCurve.Series> series = new ArrayList<>();
        for (String loop : loopOrder) {
            List<RoundsCsv.Row> r = rows.getOrDefault(loop, List.of());
            List<LearningCurve.Point> points = r.stream().filter(x -> x.accuracy() != null)
                    .map(x -> new LearningCurve.Point(x.labeled(), x.accuracy())).toList();
            String label = r.isEmpty() || r.get(r.size() - 1).strategy() == null ? loop : r.get(r.size() - 1).strategy();
            series.add(new LearningCurve.Series(label, points));
        }
        return series;
    }

    private Double selectionSeconds(String selectionRound) {
        SelectionRound sr = selectionRound == null ? null
                : client.resources(SelectionRound.class).inNamespace(EmbeddedApiServer.NAMESPACE).withName(selectionRound).get();
        if (sr == null || sr.getStatus() == null) {
            return null;
        }
        // the select step's own time: the wait for labels that follows is the labelers', not the strategy's
        if (sr.getStatus().selectSeconds != null) {
            return sr.getStatus().selectSeconds;
        }
        if (sr.getStatus().selectJob != null) {
            Job job = client.batch().v1().jobs().inNamespace(EmbeddedApiServer.NAMESPACE).withName(sr.getStatus().selectJob).get();
            if (job != null && job.getStatus() != null) {
                Duration d = between(job.getStatus().getStartTime(), job.getStatus().getCompletionTime());
                if (d != null) {
                    return d.toMillis() / 1000.0;
                }
            }
        }
        return null;
    }

    /** Round r trains on the labels that the selection of round r-1 asked for. */
    private static String selectionBefore(ActiveLearningLoop loop, int round) {
        return dev.winnow.operator.loop.LoopChildren.name(loop, round - 1);
    }

    private String strategy(ActiveLearningLoop loop, String selectionRound) {
        SelectionRound sr = selectionRound == null ? null
                : client.resources(SelectionRound.class).inNamespace(EmbeddedApiServer.NAMESPACE).withName(selectionRound).get();
        if (sr != null && sr.getSpec() != null && sr.getSpec().strategy != null && sr.getSpec().strategy.name != null) {
            return sr.getSpec().strategy.name.id();
        }
        var sel = loop.getSpec() == null || loop.getSpec().round == null ? null : loop.getSpec().round.selection;
        return sel == null || sel.strategy == null || sel.strategy.name == null ? null : sel.strategy.name.id();
    }

    /** The worker step a Job runs: its container's arguments are ["worker", step, ...]. */
    static String step(Job job) {
        var containers = job.getSpec().getTemplate().getSpec().getContainers();
        List<String> args = containers.isEmpty() || containers.get(0).getArgs() == null ? List.of() : containers.get(0).getArgs();
        int i = args.indexOf("worker");
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : containers.isEmpty() ? "?" : containers.get(0).getName();
    }

    private String elapsed() {
        long s = Duration.between(start, Instant.now()).getSeconds();
        return String.format(Locale.ROOT, "%3d:%02d", s / 60, s % 60);
    }

    static JobCondition finished(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()))
                .findFirst().orElse(null);
    }

    private static Duration between(String from, String to) {
        try {
            return from == null || to == null ? null : Duration.between(Instant.parse(from), Instant.parse(to));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
