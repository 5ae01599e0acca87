package dev.winnow.operator;

import dev.winnow.operator.job.StepJobBuilder;
import dev.winnow.operator.job.StepRunner;
import dev.winnow.operator.status.Conditions;
import dev.winnow.operator.status.EventRecorder;
import dev.winnow.operator.status.StatusReporter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;

import java.time.Clock;
import java.util.List;

/**
 * Wires the four reconcilers into one JOSDK operator. Production (`winnow operator`), the demo and
 * the tests all start the operator here, so they patch status the same way: JSON merge patch, not
 * server-side apply (which the Fabric8 mock server does not speak).
 */
public final class WinnowOperator {
    private WinnowOperator() {
    }

    public static Operator create(KubernetesClient client, OperatorSettings settings) {
        Operator operator = new Operator(o -> o.withKubernetesClient(client)
                .withUseSSAToPatchPrimaryResource(false)
                .withCloseClientOnStop(false));
        StatusReporter report = new StatusReporter(new Conditions(Clock.systemUTC()), new EventRecorder(client));
        StepRunner steps = new StepRunner(client, new StepJobBuilder(settings));
        References refs = new References(client);
        List<Reconciler<?>> reconcilers = List.of(
                new DatasetReconciler(steps, report, refs),
                new TrainingRunReconciler(steps, report, refs),
                new SelectionRoundReconciler(steps, report, refs),
                new ActiveLearningLoopReconciler(client, report, refs));
        for (Reconciler<?> reconciler : reconcilers) {
            register(operator, reconciler, settings);
        }
        return operator;
    }

    private static <P extends io.fabric8.kubernetes.api.model.HasMetadata> void register(Operator operator, Reconciler<P> reconciler,
                                                                                        OperatorSettings settings) {
        operator.register(reconciler, o -> {
            if (!settings.namespaces().isEmpty()) {
                o.settingNamespaces(settings.namespaces());
            }
        });
    }
}
