package dev.winnow.cli;

import dev.winnow.local.bench.LoopResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReportCommandTest {
    static LoopResult loop(String name, double first) {
        return new LoopResult(name, name.split("-")[1], name.substring(name.length() - 1), "Succeeded",
                List.of(new LoopResult.Round(1, 100, first, 0.5)), true);
    }

    @Test
    void aLoopInTwoWorkdirsCountsOnceNotAsAnotherSeed() {
        var err = new ByteArrayOutputStream();
        // seed 1's random ran beside margin, and again beside the new strategies
        List<LoopResult> loops = ReportCommand.once(List.of(
                        List.of(loop("b-margin-s1", 0.6), loop("b-random-s1", 0.58)),
                        List.of(loop("b-coral-s1", 0.61), loop("b-random-s1", 0.58))),
                List.of(Path.of("first"), Path.of("second")), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(List.of("b-margin-s1", "b-random-s1", "b-coral-s1"), loops.stream().map(LoopResult::name).toList());
        assertEquals("winnow report: loop b-random-s1 is in first and in second; counted once, from first\n",
                err.toString(StandardCharsets.UTF_8));
    }
}
