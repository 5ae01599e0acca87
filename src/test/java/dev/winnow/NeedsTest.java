package dev.winnow;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeedsTest {
    @Test
    void aMissingToolSkipsOutsideCiAndFailsInCi() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> Needs.require(false, "kubectl is not on PATH", false));
        assertTrue(skipped.getMessage().contains("kubectl is not on PATH"), skipped.getMessage());
        AssertionError failed = assertThrows(AssertionError.class, () -> Needs.require(false, "kubectl is not on PATH", true));
        assertTrue(failed.getMessage().contains("kubectl is not on PATH") && failed.getMessage().contains("CI=true"),
                failed.getMessage());
        assertDoesNotThrow(() -> Needs.require(true, "kubectl", true));
    }

    @Test
    void findsProgramsOnPath() {
        assertTrue(Needs.program("sh", "any shell").endsWith("sh"));
        if (Needs.inCi()) {
            assertThrows(AssertionError.class, () -> Needs.optionalProgram("winnow-no-such-program", "nowhere"));
        } else {
            assertTrue(Needs.optionalProgram("winnow-no-such-program", "nowhere").isEmpty());
        }
    }
}
