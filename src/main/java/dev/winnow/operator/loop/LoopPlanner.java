package dev.winnow.operator.loop;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopSpec;
import dev.winnow.api.v1alpha1.ActiveLearningLoopStatus;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.WinnowStatus;
import dev.winnow.contract.Results;
import dev.winnow.operator.status.Conditions;
import dev.winnow.operator.status.Reason;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides a loop's next move from what exists: walks the rounds in order (initial selection, then
 * train and select per round), stops at the first child that is missing, running or failed, and
 * checks the stop conditions after every trained round. The children are the truth; status is
 * recomputed from them, so a restarted operator neither repeats nor skips a round.
 *
 * <p>Every loop ends: besides the user's stop rules, a loop stops with PoolExhausted once nothing of
 * the pool is left to select, and a stop metric the trainer does not report fails the loop
 * (MetricNotReported) unless maxRounds or labelBudget still bound it, in which case the plan carries
 * the problem for a condition.
 */
public final class LoopPlanner {
    static final String DEFAULT_METRIC = Results.ACCURACY;
    /** The stages of its children a loop shows as its own while it waits for them. */
    private static final Set<Reason> CHILD_STAGES = EnumSet.of(Reason.Selecting, Reason.AwaitingLabels, Reason.Training, Reason.Inferring);

    private LoopPlanner() {
    }

    public sealed interface Decision permits Create, Wait, Stuck, Stop, Fail {
    }

    /** Create this child, unless the loop is suspended. */
    public record Create(HasMetadata child, Reason stage, String message) implements Decision {
    }

    public record Wait(Reason stage, String message) implements Decision {
    }

    /** A child cannot go on (its pods are refused, say) and says why; the loop passes that on, naming it. */
    public record Stuck(Reason stage, Reason reason, String message) implements Decision {
    }

    public record Stop(Reason reason, String message) implements Decision {
    }

    public record Fail(Reason reason, String message) implements Decision {
    }

    /**
     * The decision and the progress to show in status; {@code metricNotReported} says why the stop
     * metric cannot end the loop while another rule still will (null when it is reported or unused).
     */
    public record Plan(Decision decision, int round, long labeled, long requested, Double lastMetric, String metricName,
                       String trainingRun, String selectionRound, List<ActiveLearningLoopStatus.RoundEntry> history,
                       String metricNotReported) {
    }

    /**
     * @param pool the samples of the Dataset's pool (its status.samples), or null when unknown: then
     *             nothing is said about exhausting it
     */
    public static Plan plan(ActiveLearningLoop loop, Map<String, TrainingRun> runs, Map<String, SelectionRound> rounds,
                            long alreadyLabeled, Long pool) {
        ActiveLearningLoopSpec spec = loop.getSpec();
        ActiveLearningLoopSpec.StopWhen stop = spec.stopWhen;
        String metric = stop.metric != null && stop.metric.name != null ? stop.metric.name : DEFAULT_METRIC;
        Progress p = new Progress(alreadyLabeled, metric);

        String name0 = LoopChildren.name(loop, 0);
        SelectionRound initial = rounds.get(name0);
        p.selectionRound = name0;
        if (initial == null) {
            Long left = left(pool, p);
            if (left != null && left <= 0) {
                return p.plan(new Stop(Reason.PoolExhausted, "nothing to select: all " + pool + " samples of the pool are labeled"), 0);
            }
            int count = fit(budgeted(spec.initialSelection.count, stop, 0), left);
            return p.plan(new Create(LoopChildren.selection(loop, 0, count), Reason.InitialSelection,
                    "round 0: initial selection of " + count + " with " + spec.initialSelection.strategy.name
                            + cut(spec.initialSelection.count, count, left, stop)), 0);
        }
        Decision blocked = blocked("SelectionRound", initial, initial.getStatus(), 0);
        if (blocked != null) {
            return p.plan(blocked, 0);
        }
        p.count(initial);

        for (int r = 1; ; r++) {
            String name = LoopChildren.name(loop, r);
            TrainingRun run = runs.get(name);
            p.trainingRun = name;
            if (run == null) {
                boolean last = plannedLast(r, stop, left(pool, p), p);
                var pseudoLabels = PseudoLabelSchedule.of(spec.pseudoLabels, r, p.predictions);
                return p.plan(new Create(LoopChildren.training(loop, r, last, pseudoLabels), Reason.Training,
                        "round " + r + ": training on " + p.labeled + " labeled samples"
                                + (pseudoLabels == null ? "" : " and pseudo-labels at " + pseudoLabels.threshold)
                                + (last ? " (the last round: no inference after it)" : "")), r);
            }
            blocked = blocked("TrainingRun", run, run.getStatus(), r);
            if (blocked != null) {
                return p.plan(blocked, r);
            }
            p.trained(r, run, rounds.get(name));

            Stop stopNow = stopAfter(r, stop, p);
            if (stopNow != null) {
                return p.plan(stopNow, r);
            }
            Fail unreported = metricReported(run, stop, p);
            if (unreported != null) {
                return p.plan(unreported, r);
            }
            SelectionRound selection = rounds.get(name);
            p.selectionRound = name;
            if (selection == null) {
                Long left = left(pool, p);
                if (left != null && left <= 0) {
                    return p.plan(new Stop(Reason.PoolExhausted, "all " + pool + " samples of the pool are labeled or selected after round " + r), r);
                }
                int count = fit(budgeted(spec.round.selection.count, stop, p.requested), left);
                return p.plan(new Create(LoopChildren.selection(loop, r, count), Reason.Selecting,
                        "round " + r + ": selecting " + count + " with " + spec.round.selection.strategy.name
                                + cut(spec.round.selection.count, count, left, stop)), r);
            }
            blocked = blocked("SelectionRound", selection, selection.getStatus(), r);
            if (blocked != null) {
                return p.plan(blocked, r);
            }
            p.count(selection);
        }
    }

    /** Null when the child succeeded; otherwise why the loop cannot go past it. */
    private static Decision blocked(String kind, HasMetadata child, WinnowStatus status, int round) {
        String name = child.getMetadata().getName();
        if (status != null && Conditions.isTrue(status, Conditions.FAILED)) {
            return new Fail(Reason.ChildFailed, kind + " '" + name + "' failed: " + status.message);
        }
        if (status == null || !Conditions.isTrue(status, Conditions.SUCCEEDED)) {
            String phase = status == null || status.phase == null ? "Pending" : status.phase;
            Reason stage = Reason.of(phase).filter(CHILD_STAGES::contains)
                    .orElse(kind.equals("TrainingRun") ? Reason.Training : Reason.Selecting);
            var stopped = status == null ? null : Conditions.find(status, Conditions.PROGRESSING)
                    .filter(c -> "False".equals(c.getStatus()) && Reason.kindOf(c.getReason()) == Reason.Kind.PROBLEM).orElse(null);
            if (stopped != null) {
                return new Stuck(stage, Reason.of(stopped.getReason()).orElseThrow(),
                        "round " + round + ": " + kind + " '" + name + "' is stuck: " + stopped.getMessage());
            }
            return new Wait(stage, "round " + round + ": " + kind + " '" + name + "' is " + phase);
        }
        return null;
    }

    /**
     * Whether round r is sure to be the last whatever it trains to (maxRounds, the label budget or the
     * pool used up): its TrainingRun skips inference, which nothing would read. A metric or plateau
     * stop cannot be known before training, so those rounds still infer.
     */
    private static boolean plannedLast(int round, ActiveLearningLoopSpec.StopWhen stop, Long left, Progress p) {
        return stop.maxRounds != null && round >= stop.maxRounds
                || stop.labelBudget != null && p.requested >= stop.labelBudget
                || left != null && left <= 0;
    }

    private static Stop stopAfter(int round, ActiveLearningLoopSpec.StopWhen stop, Progress p) {
        if (stop.metric != null && stop.metric.atLeast != null && p.lastMetric != null && p.lastMetric >= stop.metric.atLeast) {
            return new Stop(Reason.MetricReached, p.metricName + " " + fmt(p.lastMetric) + " reached " + fmt(stop.metric.atLeast)
                    + " after round " + round);
        }
        if (stop.plateau != null && plateaued(p.metrics, stop.plateau)) {
            return new Stop(Reason.Plateau, p.metricName + " improved by less than " + fmt(stop.plateau.minDelta) + " for "
                    + stop.plateau.rounds + " rounds");
        }
        if (stop.maxRounds != null && round >= stop.maxRounds) {
            return new Stop(Reason.MaxRounds, "trained " + round + " rounds (maxRounds " + stop.maxRounds + ")");
        }
        if (stop.labelBudget != null && p.requested >= stop.labelBudget) {
            return new Stop(Reason.LabelBudget, "asked for " + p.requested + " labels (labelBudget " + stop.labelBudget + ")");
        }
        return null;
    }

    /**
     * A stop metric (stopWhen.metric, or the plateau's) the trainer did not report can never end the
     * loop: a failure when nothing else bounds it, otherwise a note in the plan.
     */
    private static Fail metricReported(TrainingRun run, ActiveLearningLoopSpec.StopWhen stop, Progress p) {
        if ((stop.metric == null && stop.plateau == null) || p.lastMetric != null) {
            p.metricNotReported = null;
            return null;
        }
        Map<String, Double> reported = run.getStatus().metrics;
        String message = "trainer reported " + (reported == null || reported.isEmpty() ? "no metrics" : String.join(", ", reported.keySet()))
                + " in TrainingRun '" + run.getMetadata().getName() + "'; stopWhen." + (stop.metric != null ? "metric" : "plateau")
                + " names " + p.metricName;
        if (stop.maxRounds == null && stop.labelBudget == null) {
            return new Fail(Reason.MetricNotReported, message + ", and no maxRounds or labelBudget would end the loop");
        }
        p.metricNotReported = message + "; the loop goes on until " + (stop.maxRounds != null ? "maxRounds " + stop.maxRounds
                : "labelBudget " + stop.labelBudget);
        return null;
    }

    /** Samples of the pool neither labeled before the loop nor selected by it; null when the pool is unknown. */
    private static Long left(Long pool, Progress p) {
        return pool == null ? null : pool - p.alreadyLabeled - p.requested;
    }

    private static int fit(int count, Long left) {
        return left == null ? count : (int) Math.min(count, left);
    }

    static boolean plateaued(List<Double> metrics, ActiveLearningLoopSpec.Plateau plateau) {
        int n = metrics.size();
        if (plateau.rounds == null || plateau.minDelta == null || n <= plateau.rounds) {
            return false;
        }
        for (int i = n - plateau.rounds; i < n; i++) {
            Double before = metrics.get(i - 1);
            Double after = metrics.get(i);
            if (before == null || after == null || after - before >= plateau.minDelta) {
                return false;
            }
        }
        return true;
    }

    /** Why a pick is smaller than the spec asks, said where the pick is announced, never silently. */
    private static String cut(int asked, int count, Long left, ActiveLearningLoopSpec.StopWhen stop) {
        if (count >= asked) {
            return "";
        }
        if (left != null && count == left) {
            return " (all the pool has left)";
        }
        return " (not " + asked + ": labelBudget " + stop.labelBudget + " leaves " + count + ")";
    }

    private static int budgeted(int count, ActiveLearningLoopSpec.StopWhen stop, long requested) {
        return stop.labelBudget == null ? count : (int) Math.max(1, Math.min(count, stop.labelBudget - requested));
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }

    /** Running totals while walking the rounds. */
    private static final class Progress {
        final long alreadyLabeled;
        long labeled;
        long requested;
        Double lastMetric;
        String metricNotReported;
        final String metricName;
        final List<Double> metrics = new ArrayList<>();
        final List<ActiveLearningLoopStatus.RoundEntry> history = new ArrayList<>();
        String trainingRun;
        String selectionRound;
        /** The latest round's predictions: the next round's pseudo-labels come from them. */
        String predictions;

        Progress(long labeled, String metricName) {
            this.alreadyLabeled = labeled;
            this.labeled = labeled;
            this.metricName = metricName;
        }

        void count(SelectionRound round) {
            var s = round.getStatus();
            requested += s.selected == null ? 0 : s.selected;
            labeled += s.labeled == null ? 0 : s.labeled;
            if (s.predictions != null) {
                predictions = s.predictions; // the round ran the infer step its run skipped
            }
        }

        void trained(int r, TrainingRun run, SelectionRound nextSelection) {
            Map<String, Double> m = run.getStatus().metrics;
            lastMetric = m == null ? null : m.get(metricName);
            predictions = run.getStatus().predictions;
            metrics.add(lastMetric);
            var entry = new ActiveLearningLoopStatus.RoundEntry();
            entry.round = r;
            entry.trainingRun = run.getMetadata().getName();
            entry.selectionRound = nextSelection == null ? null : nextSelection.getMetadata().getName();
            // what the round really trained on: loops sharing a Dataset train on each other's labels too
            entry.labeled = run.getStatus().trained != null ? run.getStatus().trained : labeled;
            entry.metrics = m;
            entry.selectSeconds = nextSelection == null || nextSelection.getStatus() == null ? null
                    : nextSelection.getStatus().selectSeconds;
            history.add(entry);
            if (history.size() > ActiveLearningLoopStatus.MAX_HISTORY) {
                history.remove(0);
            }
        }

        Plan plan(Decision decision, int round) {
            return new Plan(decision, round, labeled, requested, lastMetric, metricName, trainingRun, selectionRound, history,
                    metricNotReported);
        }
    }
}
