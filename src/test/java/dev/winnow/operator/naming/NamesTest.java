package dev.winnow.operator.naming;

import dev.winnow.api.v1alpha1.Validation;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesTest {
    /** What a pod hostname (and so an Indexed Job's {@code <job>-<index>}) must be. */
    static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    static final List<String> STEPS = List.of("select", "await", "train", "infer", "index-g1", "index-g12345-fffff");

    @Test
    void shortNamesStayAsTheyAre() {
        assertEquals("fashion-r0", Names.child("fashion", 0));
        assertEquals("fashion-r12", Names.child("fashion", 12));
        assertEquals("fashion-r12-await", Names.job("fashion-r12", "await"));
        assertEquals("a-r1", Names.child("a", 1));
    }

    @Test
    void longChildNamesKeepAReadablePrefixAndTheRound() {
        String loop = "x".repeat(63);
        String child = Names.child(loop, 12);
        assertEquals(63, child.length(), child);
        assertTrue(child.startsWith("x".repeat(50) + "-"), child);
        assertTrue(child.endsWith("-r12"), child);
        assertEquals(child, Names.child(loop, 12), "deterministic");
        assertNotEquals(Names.child("x".repeat(62) + "y", 12), child, "loops sharing a prefix get different children");
        assertNotEquals(Names.child(loop, 13), child);
    }

    @Test
    void everyNameTheCrdsAcceptGivesValidChildAndJobNamesForAnyRound() {
        Set<String> seen = new HashSet<>();
        for (int length = 1; length <= Validation.MAX_NAME; length++) {
            String loop = "l".repeat(length);
            for (int round : new int[] {0, 1, 9, 10, 99, 100, 12345, Integer.MAX_VALUE}) {
                String child = Names.child(loop, round);
                assertTrue(child.length() <= Validation.MAX_NAME && DNS_LABEL.matcher(child).matches(), child);
                assertTrue(seen.add(child), "unique: " + child);
                for (String step : STEPS) {
                    String job = Names.job(child, step);
                    assertTrue(job.length() <= Names.MAX_JOB, job);
                    assertTrue(job.endsWith("-" + step), job);
                    assertTrue(DNS_LABEL.matcher(job + "-511").matches(), "an Indexed Job's pod hostname: " + job);
                }
            }
        }
    }

    @Test
    void dottedOwnersGetHostnameSafeJobNamesDistinctFromTheirDashedTwin() {
        String dotted = Names.job("team.fashion-r1", "infer");
        assertTrue(DNS_LABEL.matcher(dotted + "-3").matches(), dotted);
        assertTrue(dotted.startsWith("team-fashion-r1-"), dotted);
        assertNotEquals(Names.job("team-fashion-r1", "infer"), dotted);
    }

    /** TrainJob's CRD (its CEL) and the training operator's webhook take RFC 1035 labels only. */
    static final Pattern RFC_1035 = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");

    @Test
    void engineNamesStartWithALetterForEveryAcceptedRunName() {
        assertEquals("fashion-r1-train", Names.engine("fashion-r1", "train"), "a name that starts with a letter stays as a Job's");
        String digit = Names.engine("1st-run", "train");
        assertTrue(digit.startsWith("run-1st-run-") && digit.endsWith("-train"), digit);
        assertNotEquals(Names.engine("run-1st-run", "train"), digit, "the hash keeps a run named like the rewrite apart");
        assertEquals(digit, Names.engine("1st-run", "train"), "deterministic");
        for (String run : List.of("1", "9" + "x".repeat(62), "0.a.b", "1st-run", "a", "a.b", "x".repeat(63))) {
            String name = Names.engine(run, "train");
            assertTrue(RFC_1035.matcher(name).matches() && name.length() <= Names.MAX_JOB, run + " -> " + name);
        }
    }
}
