package dev.winnow.operator.status;

import dev.winnow.api.v1alpha1.WinnowStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Sets conditions and tells people about each transition with an Event: Normal for progress,
 * Warning for failures and for references that cannot be resolved.
 */
public final class StatusReporter {
    private final Conditions conditions;
    private final EventRecorder events;

    public StatusReporter(Conditions conditions, EventRecorder events) {
        this.conditions = conditions;
        this.events = events;
    }

    public void set(HasMetadata owner, WinnowStatus status, String type, boolean value, String reason, String message) {
        boolean changed = conditions.set(status, generation(owner), type, value, reason, message);
        if (!changed || toldAlready(status, type, reason, message)) {
            return;
        }
        if (value) {
            if (Conditions.FAILED.equals(type)) {
                events.warning(owner, reason, message);
            } else {
                events.normal(owner, reason, message);
            }
        } else if (Conditions.PROGRESSING.equals(type) && !Conditions.isTrue(status, Conditions.FAILED)) {
            // stopped without failing: waiting on something, or a problem people must fix
            if (isProblem(reason)) {
                events.warning(owner, reason, message);
            } else if (reason.startsWith("Waiting") || reason.equals("Suspended")) {
                events.normal(owner, reason, message);
            }
        }
    }

    /** An Event for what no condition transition says (an edit that cannot apply, say). */
    public void warn(HasMetadata owner, String reason, String message) {
        events.warning(owner, reason, message);
    }

    /**
     * One transition often sets two conditions alike (Ready and Succeeded both say MaxRounds): the
     * Event of the first one tells it, so the second writes none.
     */
    private static boolean toldAlready(WinnowStatus status, String type, String reason, String message) {
        String msg = message == null ? "" : message;
        return status.conditions.stream().anyMatch(c -> !type.equals(c.getType()) && reason.equals(c.getReason())
                && msg.equals(c.getMessage()) && ("True".equals(c.getStatus()) || Conditions.PROGRESSING.equals(c.getType())));
    }

    /** Derives the phase and the summary message, and marks the spec generation as seen. */
    public void finish(HasMetadata owner, WinnowStatus status, String message) {
        status.observedGeneration = generation(owner);
        status.phase = Conditions.phase(status);
        status.message = message;
    }

    public String now() {
        return conditions.now();
    }

    static boolean isProblem(String reason) {
        return reason.endsWith("Failed") || reason.endsWith("NotFound") || reason.startsWith("Invalid")
                || reason.endsWith("Forbidden") || reason.endsWith("NotCreated") || reason.endsWith("Rejected")
                || reason.endsWith("Unavailable") || reason.endsWith("Error");
    }

    private static long generation(HasMetadata owner) {
        Long g = owner.getMetadata().getGeneration();
        return g == null ? 0 : g;
    }
}
