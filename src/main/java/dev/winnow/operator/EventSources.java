package dev.winnow.operator;

import dev.winnow.operator.job.FailedCreate;
import dev.winnow.operator.job.StepJobBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The informers each reconciler watches besides its own resource. */
final class EventSources {
    private EventSources() {
    }

    /**
     * What a controller that runs steps watches: the step Jobs it owns and the FailedCreate Events
     * about them, then the given sources.
     */
    @SafeVarargs
    static <P extends HasMetadata> List<EventSource<?, P>> withSteps(EventSourceContext<P> context, EventSource<?, P>... others) {
        InformerEventSource<Job, P> jobs = ownedJobs(context);
        List<EventSource<?, P>> sources = new ArrayList<>(List.of(jobs, podCreationFailures(context, jobs)));
        sources.addAll(List.of(others));
        return sources;
    }

    /**
     * Step Jobs owned by the primary. Each controller caches only the Jobs of its own kind
     * (selected by the owner label the builder sets), so no Job is held in memory twice.
     */
    static <P extends HasMetadata> InformerEventSource<Job, P> ownedJobs(EventSourceContext<P> context) {
        return owned(context, Job.class, StepJobBuilder.MANAGED_BY + "=" + StepJobBuilder.MANAGER + ","
                + StepJobBuilder.ownerLabel(HasMetadata.getKind(context.getPrimaryResourceClass())));
    }

    /**
     * The Job controller's FailedCreate Events (Pod Security, quota, webhooks refusing pods), mapped
     * through the Job to its owner. The API server filters them, so the cache holds only these few
     * Events, never all of the cluster's.
     */
    static <P extends HasMetadata> InformerEventSource<Event, P> podCreationFailures(EventSourceContext<P> context,
                                                                                     InformerEventSource<Job, P> jobs) {
        SecondaryToPrimaryMapper<Job> owners = Mappers.fromOwnerReferences(context.getPrimaryResourceClass());
        var config = InformerEventSourceConfiguration.from(Event.class, context.getPrimaryResourceClass())
                .withName("pod-creation-failures")
                .withFieldSelector(new FieldSelector(new FieldSelector.Field("involvedObject.kind", "Job"),
                        new FieldSelector.Field("reason", FailedCreate.EVENT_REASON)))
                .withSecondaryToPrimaryMapper((Event event) -> !FailedCreate.isAboutAJob(event) ? Set.of()
                        : jobs.get(new ResourceID(event.getInvolvedObject().getName(), event.getInvolvedObject().getNamespace()))
                        .map(owners::toPrimaryResourceIDs).orElse(Set.of()))
                .withNamespacesInheritedFromController()
                .build();
        return new InformerEventSource<>(config, context);
    }

    static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> owned(EventSourceContext<P> context, Class<R> type,
                                                                                          String labelSelector) {
        var config = InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
                .withName(type.getSimpleName().toLowerCase() + "s")
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(context.getPrimaryResourceClass()))
                .withNamespacesInheritedFromController();
        if (labelSelector != null) {
            config.withLabelSelector(labelSelector);
        }
        if (CustomResource.class.isAssignableFrom(type)) {
            oneCopy(context, config);
        }
        return new InformerEventSource<>(config.build(), context);
    }

    /**
     * Another resource the primary names in its spec (a Dataset by datasetRef, say): when it changes,
     * every primary in its namespace that names it is reconciled, so waiting needs no polling.
     */
    static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> referenced(EventSourceContext<P> context, Class<R> type,
                                                                                       String name,
                                                                                       Function<P, Set<String>> references) {
        var config = InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
                .withName(name)
                .withSecondaryToPrimaryMapper((R referenced) -> context.getPrimaryCache()
                        .list(referenced.getMetadata().getNamespace())
                        .filter(p -> references.apply(p).contains(referenced.getMetadata().getName()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withNamespacesInheritedFromController();
        oneCopy(context, config);
        return new InformerEventSource<>(config.build(), context);
    }

    /** Winnow's own kinds are cached by several controllers: their informers share one instance of each version. */
    private static <R extends HasMetadata> void oneCopy(EventSourceContext<?> context, InformerEventSourceConfiguration.Builder<R> config) {
        if (OneCopy.appliesTo(context.getControllerConfiguration().getEffectiveNamespaces())) {
            config.withItemStore(new OneCopy<>());
        }
    }
}
