package dev.winnow.operator;

import dev.winnow.operator.engine.EngineResources;
import dev.winnow.operator.engine.EngineRunner;
import dev.winnow.operator.job.KueueWorkloads;
import dev.winnow.operator.job.ServedApis;
import dev.winnow.operator.job.StepJobBuilder;
import dev.winnow.operator.job.StepRunner;
import dev.winnow.operator.metrics.WinnowMetrics;
import dev.winnow.operator.status.Conditions;
import dev.winnow.operator.status.EventRecorder;
import dev.winnow.operator.status.StatusReporter;
import dev.winnow.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Wires the four reconcilers into one JOSDK operator. Production (`winnow operator`), the demo and
 * the tests all start the operator here, so they write status the same way: the {@link StatusWriter}'s
 * JSON Patch guarded by resourceVersion, which the Fabric8 mock server and a real API server treat
 * alike (server-side apply is out: the mock server does not speak it).
 */
public final class WinnowOperator {
    private WinnowOperator() {
    }

    /** One operator, no leader election, no metrics: the demo and the tests, where it is alone on its API server. */
    public static Operator create(KubernetesClient client, OperatorSettings settings) {
        return create(client, settings, Optional.empty(), new CompositeMeterRegistry());
    }

    /**
     * @param leaderElection on a Lease, so replicas can run side by side; empty: this operator reconciles at once
     * @param registry       where JOSDK's reconcile metrics and Winnow's own go
     */
    public static Operator create(KubernetesClient client, OperatorSettings settings, Optional<LeaderElection> leaderElection,
                                  MeterRegistry registry) {
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withCloseClientOnStop(false)
                    .withMetrics(MicrometerMetricsV2.newBuilder(registry).withNamespaceAsTag().build());
            leaderElection.ifPresent(l -> o.withLeaderElectionConfiguration(l.configuration()));
        });
        WinnowMetrics metrics = new WinnowMetrics(registry);
        EventRecorder events = new EventRecorder(client, leaderElection.map(LeaderElection::identity).orElseGet(WinnowOperator::hostname));
        StatusReporter report = new StatusReporter(new Conditions(Clock.systemUTC()), events);
        StatusWriter writer = new StatusWriter(metrics, events);
        StepJobBuilder stepPods = new StepJobBuilder(settings);
        ServedApis apis = new ServedApis(client::supports, Clock.systemUTC(), settings.enginePoll());
        KueueWorkloads workloads = new KueueWorkloads(client, apis);
        StepRunner steps = new StepRunner(client, stepPods, metrics, workloads);
        EngineRunner engines = new EngineRunner(client, new EngineResources(stepPods), apis, workloads);
        // one References per controller: each reads what its spec names from its own informers, whose events
        // are the ones that make it look again (another controller's cache may not have the change yet)
        List<Reconciler<?>> reconcilers = List.of(
                new DatasetReconciler(steps, report, new References(client), writer),
                new TrainingRunReconciler(steps, new EngineTraining(steps, engines, settings.enginePoll()), report,
                        new References(client), writer),
                new SelectionRoundReconciler(steps, report, new References(client), writer, metrics),
                new ActiveLearningLoopReconciler(client, report, new References(client), writer, metrics));
        for (Reconciler<?> reconciler : reconcilers) {
            register(operator, reconciler, settings);
        }
        return operator;
    }

    private static String hostname() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "winnow-operator" : host;
    }

    private static <P extends HasMetadata> void register(Operator operator, Reconciler<P> reconciler, OperatorSettings settings) {
        operator.register(reconciler, o -> {
            if (!settings.namespaces().isEmpty()) {
                o.settingNamespaces(settings.namespaces());
            }
            if (OneCopy.appliesTo(settings.namespaces())) {
                o.withItemStore(new OneCopy<>());
            }
        });
    }
}
