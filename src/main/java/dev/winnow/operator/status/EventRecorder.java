package dev.winnow.operator.status;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Writes core/v1 Events on the resources, so `kubectl describe` tells their story. Best effort. Within
 * {@link #held} the Events of a reconcile wait for its status write: a write refused with 409 is computed again
 * from the newer version, and its Events would otherwise be told twice.
 */
public final class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final String COMPONENT = "winnow-operator";

    private final KubernetesClient client;
    private final String instance;
    private final ThreadLocal<List<Event>> held = new ThreadLocal<>();

    /** @param instance who writes, as Events' reportingInstance: the Lease identity, so people can tell replicas apart */
    public EventRecorder(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, "Normal", reason, message);
    }

    public void warning(HasMetadata about, String reason, String message) {
        record(about, "Warning", reason, message);
    }

    /**
     * Runs work with this thread's Events held back; {@code publish} decides, once work has returned, whether they
     * are written (the status they describe was accepted) or dropped (it was not, and the next reconcile tells
     * them again). Work that throws drops them too.
     */
    public <T> T held(Supplier<T> work, Predicate<T> publish) {
        if (held.get() != null) {
            return work.get();
        }
        List<Event> events = new ArrayList<>();
        held.set(events);
        T result;
        try {
            result = work.get();
        } finally {
            held.remove();
        }
        if (publish.test(result)) {
            events.forEach(this::create);
        }
        return result;
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(about.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
                .withNamespace(about.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(about.getApiVersion()).withKind(about.getKind())
                        .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
                        .withUid(about.getMetadata().getUid()).build())
                .withType(type).withReason(reason).withMessage(truncate(message))
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource(COMPONENT, null)
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .build();
        List<Event> pending = held.get();
        if (pending != null) {
            pending.add(event);
        } else {
            create(event);
        }
    }

    private void create(Event event) {
        try {
            client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // Events are for people; losing one must never stop a reconcile.
            LOG.debugf("event %s on %s not recorded: %s", event.getReason(), event.getInvolvedObject().getName(), e.getMessage());
        }
    }

    private static String truncate(String message) {
        return message == null ? "" : message.length() > 1000 ? message.substring(0, 1000) : message;
    }
}
