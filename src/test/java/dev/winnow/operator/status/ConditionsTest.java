package dev.winnow.operator.status;

import dev.winnow.api.v1alpha1.TrainingRunStatus;
import dev.winnow.api.v1alpha1.WinnowStatus;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** metav1.Condition bookkeeping and the phase people read, without a cluster. */
class ConditionsTest {

    /** A clock tests move by hand. */
    private static final class Ticking extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Ticking clock = new Ticking();
    private final Conditions conditions = new Conditions(clock);
    private final WinnowStatus status = new TrainingRunStatus();

    private Condition get(String type) {
        return Conditions.find(status, type).orElseThrow();
    }

    @Test
    void oneConditionPerTypeAndTheTransitionTimeMovesOnlyWhenTheStatusFlips() {
        assertTrue(conditions.set(status, 1, Conditions.PROGRESSING, true, Reason.Training, "Job r1-train: 1 running"));
        assertEquals("2025-01-01T00:00:00Z", get(Conditions.PROGRESSING).getLastTransitionTime());

        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertTrue(conditions.set(status, 1, Conditions.PROGRESSING, true, Reason.Inferring, "Job r1-infer: 4 running"),
                "a new reason is a change");
        assertEquals("2025-01-01T00:00:00Z", get(Conditions.PROGRESSING).getLastTransitionTime(), "still True: no transition");
        assertFalse(conditions.set(status, 1, Conditions.PROGRESSING, true, Reason.Inferring, "Job r1-infer: 4 running"),
                "the same condition again is no change");

        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertTrue(conditions.set(status, 2, Conditions.PROGRESSING, false, Reason.Completed, "done"));
        Condition c = get(Conditions.PROGRESSING);
        assertEquals("2025-01-01T00:10:00Z", c.getLastTransitionTime());
        assertEquals("False", c.getStatus());
        assertEquals(2L, c.getObservedGeneration());
        assertEquals(1, status.conditions.size());
    }

    @Test
    void aMissingMessageIsEmptyAndTimesAreWholeSeconds() {
        clock.now = Instant.parse("2025-01-01T00:00:00.750Z");
        conditions.set(status, 1, Conditions.READY, true, Reason.Indexed, null);
        assertEquals("", get(Conditions.READY).getMessage());
        assertEquals("2025-01-01T00:00:00Z", get(Conditions.READY).getLastTransitionTime());
        assertTrue(Conditions.isTrue(status, Conditions.READY));
        assertFalse(Conditions.isTrue(status, Conditions.FAILED), "absent is not true");
    }

    @Test
    void aTerminalConditionDecidesThePhase() {
        conditions.set(status, 1, Conditions.PROGRESSING, true, Reason.Training, "");
        conditions.set(status, 1, Conditions.SUCCEEDED, true, Reason.Completed, "");
        assertEquals("Succeeded", Conditions.phase(status));

        WinnowStatus failed = new TrainingRunStatus();
        conditions.set(failed, 1, Conditions.FAILED, true, Reason.TrainFailed, "");
        conditions.set(failed, 1, Conditions.READY, true, Reason.Running, "");
        assertEquals("Failed", Conditions.phase(failed));
    }

    @Test
    void workUnderWayShowsItsReason() {
        conditions.set(status, 1, Conditions.READY, true, Reason.Running, "");
        conditions.set(status, 1, Conditions.PROGRESSING, true, Reason.Selecting, "");
        assertEquals("Selecting", Conditions.phase(status));
    }

    @Test
    void aReadyObjectThatIsHeldShowsWhy() {
        conditions.set(status, 1, Conditions.READY, true, Reason.Suspended, "");
        conditions.set(status, 1, Conditions.PROGRESSING, false, Reason.Suspended, "");
        assertEquals("Suspended", Conditions.phase(status));

        conditions.set(status, 1, Conditions.PROGRESSING, false, Reason.WaitingForDataset, "");
        assertEquals("WaitingForDataset", Conditions.phase(status));

        conditions.set(status, 1, Conditions.PROGRESSING, false, Reason.DatasetNotFound, "");
        assertEquals("DatasetNotFound", Conditions.phase(status), "a problem people must fix");
    }

    @Test
    void aReadyObjectAtRestIsReady() {
        conditions.set(status, 1, Conditions.READY, true, Reason.Indexed, "");
        conditions.set(status, 1, Conditions.PROGRESSING, false, Reason.Indexed, "");
        assertEquals("Ready", Conditions.phase(status));
    }

    @Test
    void withoutReadinessThePhaseIsWhyNothingHappens() {
        assertEquals("Pending", Conditions.phase(status));
        conditions.set(status, 1, Conditions.READY, false, Reason.Indexing, "");
        assertEquals("Indexing", Conditions.phase(status));
        conditions.set(status, 1, Conditions.PROGRESSING, false, Reason.IndexFailed, "");
        assertEquals("IndexFailed", Conditions.phase(status));
    }
}
