package dev.winnow.operator;

import dev.winnow.api.v1alpha1.WinnowStatus;
import dev.winnow.operator.status.Conditions;
import dev.winnow.operator.status.Reason;
import dev.winnow.operator.status.StatusReporter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import java.time.Duration;

/**
 * A resource that cannot start yet: it names something that is missing or not ready. It says so in
 * Progressing=False with a searchable reason, and looks again later (the referenced object's
 * informer usually wakes it sooner).
 */
final class Waiting {
    static final Duration RECHECK = Duration.ofSeconds(30);

    private Waiting() {
    }

    static <P extends HasMetadata> UpdateControl<P> on(StatusReporter report, P resource, WinnowStatus status, Reason reason,
                                                       String message) {
        report.set(resource, status, Conditions.PROGRESSING, false, reason, message);
        report.finish(resource, status, message);
        return UpdateControl.patchStatus(resource).rescheduleAfter(RECHECK);
    }
}
