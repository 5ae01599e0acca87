package dev.winnow.operator.metrics;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Winnow's own metrics, beside JOSDK's reconcile metrics: loops by phase, rounds completed, step
 * Job durations by step, labels requested and received.
 *
 * <p>A reconcile that observes something (a step that ended, labels that arrived) may still fail to
 * write its status, and then the next reconcile observes it again. So observations wait, per
 * resource, until that resource's status write succeeds ({@link #committed}) and are dropped when
 * it does not ({@link #discarded}): each is counted once per transition the API server accepted.
 */
public final class WinnowMetrics {
    static final String LOOPS = "winnow.loops";
    static final String ROUNDS = "winnow.rounds.completed";
    static final String STEP_DURATION = "winnow.step.duration";
    static final String LABELS_REQUESTED = "winnow.labels.requested";
    static final String LABELS_RECEIVED = "winnow.labels.received";

    private final MeterRegistry registry;
    private final Map<ResourceID, List<Consumer<MeterRegistry>>> pending = new ConcurrentHashMap<>();
    private final Set<String> loopPhases = ConcurrentHashMap.newKeySet();
    private volatile Cache<ActiveLearningLoop> loops;

    public WinnowMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The loops the phase gauges count: the loop controller's informer cache, so deleted loops drop out. */
    public void countLoopsIn(Cache<ActiveLearningLoop> cache) {
        loops = cache;
    }

    /**
     * Makes sure a gauge counts loops in this phase. Phases are open-ended (the reason of the work
     * under way), so each gets its gauge when a loop first shows it; it reads 0 once none does.
     */
    public void loopPhase(String phase) {
        String p = phase == null ? "Pending" : phase;
        if (loopPhases.add(p)) {
            Gauge.builder(LOOPS, this, m -> m.countLoops(p))
                    .description("ActiveLearningLoops by status.phase, as the leader sees them")
                    .tag("phase", p)
                    .register(registry);
        }
    }

    private double countLoops(String phase) {
        Cache<ActiveLearningLoop> cache = loops;
        if (cache == null) {
            return 0;
        }
        return cache.list(l -> phase.equals(l.getStatus() == null || l.getStatus().phase == null ? "Pending" : l.getStatus().phase))
                .count();
    }

    public void roundsCompleted(HasMetadata loop, long rounds) {
        if (rounds > 0) {
            defer(loop, r -> Counter.builder(ROUNDS).description("Loop rounds trained to the end")
                    .tag("namespace", namespace(loop)).register(r).increment(rounds));
        }
    }

    /** A step Job ended; its duration runs from the Job's start to its completion (or failure). */
    public void stepEnded(HasMetadata owner, String step, boolean succeeded, Duration took) {
        defer(owner, r -> Timer.builder(STEP_DURATION).description("Step Jobs from start to end")
                .tag("step", step).tag("outcome", succeeded ? "succeeded" : "failed")
                .serviceLevelObjectives(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5),
                        Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4), Duration.ofHours(24))
                .register(r).record(took));
    }

    public void labelsRequested(HasMetadata round, long samples) {
        defer(round, r -> Counter.builder(LABELS_REQUESTED).description("Samples selected for people to label")
                .tag("namespace", namespace(round)).register(r).increment(samples));
    }

    public void labelsReceived(HasMetadata round, long samples) {
        defer(round, r -> Counter.builder(LABELS_RECEIVED).description("Labels that arrived for selected samples")
                .tag("namespace", namespace(round)).register(r).increment(samples));
    }

    /** The resource's status write succeeded: what its reconcile observed happened. */
    public void committed(HasMetadata resource) {
        List<Consumer<MeterRegistry>> observed = pending.remove(ResourceID.fromResource(resource));
        if (observed != null) {
            observed.forEach(o -> o.accept(registry));
        }
    }

    /** The reconcile wrote nothing (or failed to): the next one observes again. */
    public void discarded(HasMetadata resource) {
        pending.remove(ResourceID.fromResource(resource));
    }

    // JOSDK never reconciles one resource on two threads at once, so a resource's list has one writer
    private void defer(HasMetadata resource, Consumer<MeterRegistry> observation) {
        pending.computeIfAbsent(ResourceID.fromResource(resource), id -> new ArrayList<>()).add(observation);
    }

    private static String namespace(HasMetadata resource) {
        return Objects.requireNonNullElse(resource.getMetadata().getNamespace(), "");
    }
}
