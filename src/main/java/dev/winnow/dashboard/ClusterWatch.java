package dev.winnow.dashboard;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Informers on what the dashboard shows, in the given namespaces or (none given) in all, with the viewer's client:
 * a kind they may not list or watch becomes a sentence on the page instead of stopping the dashboard. Calls
 * {@code onChange} on every add, update and delete.
 */
public final class ClusterWatch implements AutoCloseable {
    private static final long SYNC_SECONDS = 30;

    private final Runnable onChange;
    private final List<SharedIndexInformer<ActiveLearningLoop>> loops = new ArrayList<>();
    private final List<SharedIndexInformer<SelectionRound>> rounds = new ArrayList<>();
    private final List<SharedIndexInformer<TrainingRun>> runs = new ArrayList<>();
    private final List<SharedIndexInformer<Dataset>> datasets = new ArrayList<>();
    private final List<SharedIndexInformer<Event>> events = new ArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    /** Each informer with what it watches, to say which ones have not listed yet. */
    private final java.util.Map<SharedIndexInformer<?>, String> watching = new java.util.concurrent.ConcurrentHashMap<>();

    private ClusterWatch(Runnable onChange) {
        this.onChange = onChange;
    }

    /** Starts the informers and waits until each has listed (or was refused). */
    public static ClusterWatch start(KubernetesClient client, List<String> namespaces, Runnable onChange) {
        ClusterWatch w = new ClusterWatch(onChange);
        List<String> scopes = namespaces.isEmpty() ? java.util.Arrays.asList((String) null) : namespaces;
        List<CompletableFuture<?>> started = new ArrayList<>();
        for (String ns : scopes) {
            started.add(w.watch(w.loops, "activelearningloops", ns, scope(ns, n -> client.resources(ActiveLearningLoop.class).inNamespace(n),
                    () -> client.resources(ActiveLearningLoop.class).inAnyNamespace())));
            started.add(w.watch(w.rounds, "selectionrounds", ns, scope(ns, n -> client.resources(SelectionRound.class).inNamespace(n),
                    () -> client.resources(SelectionRound.class).inAnyNamespace())));
            started.add(w.watch(w.runs, "trainingruns", ns, scope(ns, n -> client.resources(TrainingRun.class).inNamespace(n),
                    () -> client.resources(TrainingRun.class).inAnyNamespace())));
            started.add(w.watch(w.datasets, "datasets", ns, scope(ns, n -> client.resources(Dataset.class).inNamespace(n),
                    () -> client.resources(Dataset.class).inAnyNamespace())));
            started.add(w.watch(w.events, "events", ns, scope(ns, n -> client.v1().events().inNamespace(n),
                    () -> client.v1().events().inAnyNamespace())));
        }
        // one deadline for all: a kind that has not listed by then shows as a sentence and fills in when it does
        CompletableFuture.allOf(started.stream().map(f -> f.exceptionally(e -> null)).toArray(CompletableFuture[]::new))
                .orTimeout(SYNC_SECONDS, TimeUnit.SECONDS).exceptionally(e -> null).join();
        return w;
    }

    private static <T extends HasMetadata> Informable<T> scope(String ns, Function<String, Informable<T>> one,
                                                                Supplier<Informable<T>> all) {
        return ns == null ? all.get() : one.apply(ns);
    }

    private <T extends HasMetadata> CompletableFuture<?> watch(List<SharedIndexInformer<T>> into, String resource, String ns,
                                                               Informable<T> source) {
        SharedIndexInformer<T> informer = source.runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.run();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.run();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onChange.run();
            }
        });
        into.add(informer);
        watching.put(informer, resource + (ns == null ? " in all namespaces" : " in namespace " + ns));
        return informer.start().toCompletableFuture().whenComplete((ok, e) -> {
            if (e != null) {
                refused(resource, ns, e);
            }
        });
    }

    private void refused(String resource, String ns, Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        String why = cause instanceof KubernetesClientException k && k.getCode() > 0
                ? k.getCode() + " " + (k.getStatus() != null && k.getStatus().getReason() != null ? k.getStatus().getReason() : "")
                : cause.getMessage();
        String what = resource + (ns == null ? " in all namespaces" : " in namespace " + ns);
        watching.values().remove(what);
        problems.add("Cannot list and watch " + what + ": " + why.trim()
                + ". What you may see is your RBAC's to decide: see docs/dashboard.md.");
        onChange.run();
    }

    /** What the informers hold now. */
    public Snapshot snapshot() {
        List<String> all = new ArrayList<>(problems);
        watching.forEach((informer, what) -> {
            if (!informer.hasSynced()) {
                all.add("Still waiting for the API server to list " + what + ".");
            }
        });
        return new Snapshot(items(loops), items(rounds), items(runs), items(datasets), items(events), List.copyOf(all));
    }

    private static <T> List<T> items(List<SharedIndexInformer<T>> informers) {
        return informers.stream().flatMap(i -> i.getStore().list().stream()).toList();
    }

    @Override
    public void close() {
        Stream.of(loops, rounds, runs, datasets, events).flatMap(List::stream).forEach(SharedIndexInformer::stop);
    }
}
