package dev.winnow.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the operator image's jar says when a command reaches for the data plane it leaves out. */
class DataPlaneTest {
    @Test
    void aLeftOutClassIsExitCodeTwoAndWhichImageToRun() throws Exception {
        PrintStream stderr = System.err;
        var err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = DataPlane.run("demo", () -> {
                throw new NoClassDefFoundError("io/fabric8/mockwebserver/http/Dispatcher");
            });
            assertEquals(2, code);
        } finally {
            System.setErr(stderr);
        }
        assertEquals("winnow demo: this jar is the operator's, packaged without the data plane (io.fabric8.mockwebserver.http.Dispatcher"
                + " is not in it); run it from the worker image (ghcr.io/winnow-dev/winnow-worker) or a source checkout (./winnow demo)\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anyOtherMissingClassIsABugAndStaysAnError() {
        var bug = new NoClassDefFoundError("dev/winnow/local/Gone");
        assertSame(bug, assertThrows(NoClassDefFoundError.class, () -> DataPlane.run("bench", () -> {
            throw bug;
        })));
        assertEquals(0, runsWithTheEmbeddedApiPresent(), "where the class is there, the command runs");
    }

    private static int runsWithTheEmbeddedApiPresent() {
        try {
            return DataPlane.run("report --workdir", () -> 0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
