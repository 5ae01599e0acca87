package dev.winnow.operator;

import dev.winnow.operator.job.StepJobBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;

import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The informers each reconciler watches besides its own resource. */
final class EventSources {
    private EventSources() {
    }

    /**
     * Step Jobs owned by the primary. Each controller caches only the Jobs of its own kind
     * (selected by the owner label the builder sets), so no Job is held in memory twice.
     */
    static <P extends HasMetadata> EventSource<Job, P> ownedJobs(EventSourceContext<P> context) {
        return owned(context, Job.class, StepJobBuilder.MANAGED_BY + "=" + StepJobBuilder.MANAGER + ","
                + StepJobBuilder.ownerLabel(HasMetadata.getKind(context.getPrimaryResourceClass())));
    }

    static <R extends HasMetadata, P extends HasMetadata> EventSource<R, P> owned(EventSourceContext<P> context, Class<R> type,
                                                                                  String labelSelector) {
        var config = InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
                .withName(type.getSimpleName().toLowerCase() + "s")
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(context.getPrimaryResourceClass()))
                .withNamespacesInheritedFromController();
        if (labelSelector != null) {
            config.withLabelSelector(labelSelector);
        }
        return new InformerEventSource<>(config.build(), context);
    }

    /**
     * Another resource the primary names in its spec (a Dataset by datasetRef, say): when it changes,
     * every primary in its namespace that names it is reconciled, so waiting needs no polling.
     */
    static <R extends HasMetadata, P extends HasMetadata> EventSource<R, P> referenced(EventSourceContext<P> context, Class<R> type,
                                                                                       String name,
                                                                                       Function<P, Set<String>> references) {
        var config = InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
                .withName(name)
                .withSecondaryToPrimaryMapper((R referenced) -> context.getPrimaryCache()
                        .list(referenced.getMetadata().getNamespace())
                        .filter(p -> references.apply(p).contains(referenced.getMetadata().getName()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withNamespacesInheritedFromController()
                .build();
        return new InformerEventSource<>(config, context);
    }
}
