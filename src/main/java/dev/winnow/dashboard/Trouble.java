package dev.winnow.dashboard;

import dev.winnow.api.v1alpha1.WinnowStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Optional;

/**
 * Why an object failed or is stuck, read from its conditions as a person would: Failed=True, or Progressing=False
 * before the end (the operator's way of saying it waits on something or someone must fix something).
 *
 * @param kind  the object's kind, e.g. SelectionRound
 * @param state "Failed" or "Stuck"
 */
public record Trouble(String kind, String name, String state, String reason, String message) {
    static Optional<Trouble> of(HasMetadata object, WinnowStatus status) {
        if (status == null || status.conditions == null) {
            return Optional.empty();
        }
        boolean failed = "Failed".equals(status.phase);
        if (!failed && "Succeeded".equals(status.phase)) {
            return Optional.empty();
        }
        return status.conditions.stream()
                .filter(c -> failed ? "Failed".equals(c.getType()) && "True".equals(c.getStatus())
                        : "Progressing".equals(c.getType()) && "False".equals(c.getStatus()))
                .findFirst().map(c -> of(object, failed ? "Failed" : "Stuck", c));
    }

    private static Trouble of(HasMetadata object, String state, Condition c) {
        return new Trouble(object.getKind(), object.getMetadata().getName(), state, c.getReason(), c.getMessage());
    }
}
