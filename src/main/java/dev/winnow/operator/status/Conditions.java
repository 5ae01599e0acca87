package dev.winnow.operator.status;

import dev.winnow.api.v1alpha1.WinnowStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * metav1.Condition bookkeeping: one condition per type, lastTransitionTime moves only when the
 * status flips, observedGeneration tracks the spec the condition was computed from.
 */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    /** False when the latest spec edit could not take effect (it came after the end); True once one resumed it. */
    public static final String SPEC_APPLIED = "SpecApplied";
    /** A loop's stop metric is among the trainer's metrics; False (MetricNotReported) says it is not. */
    public static final String METRIC_REPORTED = "MetricReported";
    /** A Dataset with an embedder: True once its self-supervised embeddings are written for the current index. */
    public static final String EMBEDDED = "Embedded";

    private final Clock clock;

    public Conditions(Clock clock) {
        this.clock = clock;
    }

    /** Sets a condition; returns true when its status, reason or message changed. */
    public boolean set(WinnowStatus status, long generation, String type, boolean value, Reason reason, String message) {
        String newStatus = value ? "True" : "False";
        String why = reason.name();
        String msg = message == null ? "" : message;
        Optional<Condition> existing = find(status, type);
        if (existing.isPresent()) {
            Condition c = existing.get();
            boolean flipped = !newStatus.equals(c.getStatus());
            boolean changed = flipped || !why.equals(c.getReason()) || !msg.equals(c.getMessage());
            if (flipped) {
                c.setLastTransitionTime(now());
            }
            c.setStatus(newStatus);
            c.setReason(why);
            c.setMessage(msg);
            c.setObservedGeneration(generation);
            return changed;
        }
        status.conditions.add(new ConditionBuilder().withType(type).withStatus(newStatus).withReason(why)
                .withMessage(msg).withObservedGeneration(generation).withLastTransitionTime(now()).build());
        return true;
    }

    /**
     * Drops all but the first condition of each type (the one {@link #set} updates). Status written
     * by two operators at once before conditions were keyed by type may hold duplicates, which the
     * API server now refuses; the next write repairs them.
     */
    static void onePerType(WinnowStatus status) {
        if (status != null) {
            Set<String> seen = new HashSet<>();
            status.conditions.removeIf(c -> !seen.add(c.getType()));
        }
    }

    public static Optional<Condition> find(WinnowStatus status, String type) {
        return status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(WinnowStatus status, String type) {
        return find(status, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /**
     * The phase people see, derived from the conditions: a terminal condition wins, then the reason
     * of the work under way (Training, Selecting...), then Ready, then why nothing is happening.
     */
    public static String phase(WinnowStatus status) {
        if (isTrue(status, SUCCEEDED)) {
            return "Succeeded";
        }
        if (isTrue(status, FAILED)) {
            return "Failed";
        }
        Optional<Condition> progressing = find(status, PROGRESSING);
        if (progressing.isPresent() && "True".equals(progressing.get().getStatus())) {
            return progressing.get().getReason();
        }
        // stopped for a reason people must see (suspended, waiting, broken) even if otherwise Ready
        if (progressing.isPresent() && isHeld(progressing.get().getReason())) {
            return progressing.get().getReason();
        }
        if (isTrue(status, READY)) {
            return "Ready";
        }
        return progressing.map(Condition::getReason)
                .or(() -> find(status, READY).map(Condition::getReason))
                .orElse("Pending");
    }

    static boolean isHeld(String reason) {
        return Reason.kindOf(reason) != Reason.Kind.PROGRESS;
    }

    public String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
