package dev.winnow.dashboard;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopStatus;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.WinnowStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The page of one loop: its row, learning curve, rounds, conditions, events and the objects it links to. */
public final class LoopPages {
    /** Enough events to tell the story of a loop without growing with its age. */
    static final int MAX_EVENTS = 50;

    private LoopPages() {
    }

    /**
     * One round: its TrainingRun (absent for round 0, the model-free first pick) and the SelectionRound that
     * followed, with the labels' progress while the round waits for them.
     *
     * @param trainedOn labeled samples the round trained on; metric its value of the loop's metric
     */
    public record Round(int round, String trainingRun, String trainingPhase, Long trainedOn, Double metric,
                        String selectionRound, String selectionPhase, Double selectSeconds, Long picks, Long labeled,
                        Long skipped, Long open) {
    }

    public record ConditionRow(String type, String status, String reason, String message, String since) {
    }

    public record EventRow(String type, String reason, String object, String message, String last, Integer count) {
    }

    public record Page(LoopRows.Row loop, String dataset, String stopReason, String message, Curves.Chart curve,
                       List<Round> rounds, List<ConditionRow> conditions, List<EventRow> events) {
    }

    public static Optional<Page> of(Snapshot s, String namespace, String name) {
        return s.loops().stream().filter(l -> namespace.equals(l.getMetadata().getNamespace())
                && name.equals(l.getMetadata().getName())).findFirst().map(l -> page(s, l));
    }

    static Page page(Snapshot s, ActiveLearningLoop loop) {
        ActiveLearningLoopStatus st = Optional.ofNullable(loop.getStatus()).orElseGet(ActiveLearningLoopStatus::new);
        Curves.Chart curve = Curves.of(s, loop);
        return new Page(LoopRows.row(s, loop), loop.getSpec() == null ? null : loop.getSpec().datasetRef, st.stopReason,
                st.message, curve, rounds(s, loop, curve.metric()), conditions(st), events(s, loop));
    }

    static List<Round> rounds(Snapshot s, ActiveLearningLoop loop, String metric) {
        Map<Integer, SelectionRound> selections = byRound(Snapshot.childrenOf(loop, s.rounds()));
        Map<Integer, TrainingRun> runs = byRound(Snapshot.childrenOf(loop, s.runs()));
        Map<Integer, ActiveLearningLoopStatus.RoundEntry> history = loop.getStatus() == null ? Map.of()
                : loop.getStatus().history.stream().filter(e -> e.round != null)
                .collect(Collectors.toMap(e -> e.round, Function.identity(), (a, b) -> b));
        Set<Integer> numbers = new HashSet<>(selections.keySet());
        numbers.addAll(runs.keySet());
        numbers.addAll(history.keySet());
        return numbers.stream().sorted().map(r -> round(r, runs.get(r), selections.get(r), history.get(r), metric)).toList();
    }

    private static Round round(int r, TrainingRun run, SelectionRound sel, ActiveLearningLoopStatus.RoundEntry entry,
                               String metric) {
        var rs = run == null ? null : run.getStatus();
        var ss = sel == null ? null : sel.getStatus();
        Double value = entry != null && entry.metrics != null ? entry.metrics.get(metric)
                : rs != null && rs.metrics != null ? rs.metrics.get(metric) : null;
        Long trainedOn = entry != null && entry.labeled != null ? entry.labeled : rs == null ? null : rs.trained;
        return new Round(r, name(run, entry == null ? null : entry.trainingRun), phase(rs), trainedOn, value,
                name(sel, entry == null ? null : entry.selectionRound), phase(ss), ss == null ? null : ss.selectSeconds,
                ss == null ? null : ss.selected, ss == null ? null : ss.labeled, ss == null ? null : ss.skipped,
                ss == null ? null : ss.open);
    }

    private static <T extends HasMetadata> Map<Integer, T> byRound(Stream<T> children) {
        Map<Integer, T> out = new TreeMap<>();
        children.forEach(c -> {
            try {
                out.put(Integer.parseInt(Snapshot.labels(c).getOrDefault(Snapshot.ROUND_LABEL, "")), c);
            } catch (NumberFormatException notARound) {
                // a child without its round label is not one the loop made; leave it out of the table
            }
        });
        return out;
    }

    private static String name(HasMetadata o, String fallback) {
        return o == null ? fallback : o.getMetadata().getName();
    }

    private static String phase(WinnowStatus status) {
        return status == null ? null : status.phase;
    }

    static List<ConditionRow> conditions(WinnowStatus st) {
        return st.conditions == null ? List.of() : st.conditions.stream()
                .map(c -> new ConditionRow(c.getType(), c.getStatus(), c.getReason(), c.getMessage(), c.getLastTransitionTime()))
                .toList();
    }

    /** The events of the loop and its children, newest first. */
    static List<EventRow> events(Snapshot s, ActiveLearningLoop loop) {
        Set<String> about = new HashSet<>();
        about.add("ActiveLearningLoop/" + loop.getMetadata().getName());
        Stream.concat(Snapshot.childrenOf(loop, s.rounds()), Snapshot.childrenOf(loop, s.runs()))
                .forEach(c -> about.add(c.getKind() + "/" + c.getMetadata().getName()));
        return s.events().stream()
                .filter(e -> e.getInvolvedObject() != null
                        && Objects.equals(e.getInvolvedObject().getNamespace(), loop.getMetadata().getNamespace())
                        && about.contains(e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName()))
                .sorted(Comparator.comparing(LoopPages::when, Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                .limit(MAX_EVENTS)
                .map(e -> new EventRow(e.getType(), e.getReason(),
                        e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName(), e.getMessage(), when(e),
                        e.getCount()))
                .toList();
    }

    private static String when(Event e) {
        if (e.getLastTimestamp() != null) {
            return e.getLastTimestamp();
        }
        return e.getEventTime() != null ? e.getEventTime().getTime() : e.getMetadata().getCreationTimestamp();
    }
}
