package dev.winnow.operator.job;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Job controller's FailedCreate Events: why a Job has no pods. Pod Security, quota, LimitRanges
 * and admission webhooks refuse pods this way; the Job itself never fails, so without these Events a
 * step would look as if it were starting forever.
 */
public final class FailedCreate {
    public static final String EVENT_REASON = "FailedCreate";
    /** An admission refused the pods ("... is forbidden: ..."). */
    public static final String FORBIDDEN = "PodsForbidden";
    /** Pod creation failed some other way (a webhook that cannot be reached, say). */
    public static final String NOT_CREATED = "PodsNotCreated";
    /** The generated pod name changes with every attempt; it is dropped so the message stays put. */
    private static final Pattern POD_FORBIDDEN = Pattern.compile("^pods? \"[^\"]*\" is forbidden: ");

    private FailedCreate() {
    }

    /** What the operator's Event informers keep (their field selector says the same to the API server). */
    public static boolean isAboutAJob(Event event) {
        return EVENT_REASON.equals(event.getReason()) && event.getInvolvedObject() != null
                && "Job".equals(event.getInvolvedObject().getKind());
    }

    /** The newest refusal of this Job's pods, as a stuck step. */
    static Optional<StepOutcome> of(Job job, Collection<Event> events) {
        String uid = job.getMetadata().getUid();
        return events.stream()
                .filter(e -> isAboutAJob(e) && uid != null && uid.equals(e.getInvolvedObject().getUid()))
                .max(Comparator.comparing(FailedCreate::when))
                .map(e -> stuck(job.getMetadata().getName(), e.getMessage()));
    }

    static StepOutcome stuck(String job, String apiMessage) {
        String text = apiMessage == null ? "" : apiMessage.strip();
        text = strip(strip(text, "(combined from similar events): "), "Error creating: ");
        var forbidden = POD_FORBIDDEN.matcher(text);
        boolean refused = forbidden.find() || text.contains("forbidden");
        return StepOutcome.stuck(job, refused ? FORBIDDEN : NOT_CREATED,
                "Job " + job + " cannot create pods: " + forbidden.replaceFirst(""));
    }

    private static String strip(String text, String prefix) {
        return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    }

    private static String when(Event e) {
        if (e.getLastTimestamp() != null) {
            return e.getLastTimestamp();
        }
        if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
            return e.getEventTime().getTime();
        }
        return e.getMetadata() == null || e.getMetadata().getCreationTimestamp() == null ? "" : e.getMetadata().getCreationTimestamp();
    }
}
