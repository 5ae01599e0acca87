package dev.winnow.operator.status;

import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Event each transition writes follows its reason's kind, not the spelling of its name. */
@EnableKubernetesMockClient(crud = true)
class StatusReporterTest {
    KubernetesClient client;

    private StatusReporter report;
    private final TrainingRun run = new TrainingRun();
    private final TrainingRunStatus status = new TrainingRunStatus();

    @BeforeEach
    void setUp() {
        report = new StatusReporter(new Conditions(Clock.systemUTC()), new EventRecorder(client, "test"));
        run.setMetadata(new ObjectMetaBuilder().withName("r1").withNamespace("team").withUid("u1").withGeneration(1L).build());
    }

    /** "Type Reason" of every Event, sorted. */
    private List<String> events() {
        return client.v1().events().inNamespace("team").list().getItems().stream()
                .map(e -> e.getType() + " " + e.getReason()).sorted().toList();
    }

    @Test
    void progressAndWaitsAreNormalProblemsAreWarnings() {
        report.set(run, status, Conditions.PROGRESSING, false, Reason.WaitingForDataset, "Dataset 'd' is not Ready yet");
        assertEquals(List.of("Normal WaitingForDataset"), events());

        report.set(run, status, Conditions.PROGRESSING, false, Reason.DatasetNotFound, "Dataset 'd' not found");
        assertEquals(List.of("Normal WaitingForDataset", "Warning DatasetNotFound"), events());

        report.set(run, status, Conditions.PROGRESSING, true, Reason.Training, "Job r1-train: 1 running");
        report.set(run, status, Conditions.PROGRESSING, true, Reason.Training, "Job r1-train: 1 running");
        assertEquals(1, events().stream().filter(e -> e.equals("Normal Training")).count(), "an unchanged condition writes no Event");

        report.set(run, status, Conditions.FAILED, true, Reason.TrainFailed, "step train failed: out of memory");
        report.set(run, status, Conditions.PROGRESSING, false, Reason.TrainFailed, "step train failed: out of memory");
        assertEquals(1, events().stream().filter(e -> e.equals("Warning TrainFailed")).count(),
                "the failure is told once, by the Failed condition");
    }

    @Test
    void eventsOfAReconcileWhoseStatusWasRefusedAreNeverWritten() {
        EventRecorder recorder = new EventRecorder(client, "winnow-7d9_1");
        StatusReporter held = new StatusReporter(new Conditions(Clock.systemUTC()), recorder);
        // a 409: the reconcile is computed again from the newer version, and tells its transition then
        recorder.held(() -> {
            held.set(run, status, Conditions.PROGRESSING, true, Reason.Inferring, "Job r1-infer: 1 running");
            return false;
        }, accepted -> accepted);
        assertEquals(List.of(), events());
        recorder.held(() -> {
            held.set(run, new TrainingRunStatus(), Conditions.PROGRESSING, true, Reason.Inferring, "Job r1-infer: 1 running");
            return true;
        }, accepted -> accepted);
        assertEquals(List.of("Normal Inferring"), events());
        assertEquals("winnow-7d9_1", client.v1().events().inNamespace("team").list().getItems().get(0).getReportingInstance(),
                "Events name the replica that wrote them");
    }

    @Test
    void theEndOfWorkIsToldByItsTerminalCondition() {
        report.set(run, status, Conditions.SUCCEEDED, true, Reason.Completed, "trained on 100 samples");
        report.set(run, status, Conditions.PROGRESSING, false, Reason.Completed, "trained on 100 samples");
        assertEquals(List.of("Normal Completed"), events());
    }

    @Test
    void everyReasonHasTheKindItsNameSuggestsToPeople() {
        for (Reason reason : Reason.values()) {
            String name = reason.name();
            Reason.Kind expected = name.startsWith("Waiting") || name.equals("Suspended") ? Reason.Kind.WAIT
                    : name.endsWith("Failed") || name.endsWith("NotFound") || name.startsWith("Invalid") || name.startsWith("Pods")
                    || name.endsWith("Conflict") || name.endsWith("NotApplied") || name.endsWith("NotReported") || name.endsWith("Ignored")
                    || name.endsWith("NotInstalled") || name.endsWith("Unsupported") || name.startsWith("Shared") || name.endsWith("Rejected") || name.endsWith("Forbidden") || name.endsWith("Unavailable") || name.endsWith("Error")
                    ? Reason.Kind.PROBLEM : Reason.Kind.PROGRESS;
            assertEquals(expected, reason.kind(), name);
        }
        assertEquals(Reason.Kind.PROGRESS, Reason.kindOf("SomethingANewerOperatorWrites"));
    }
}
