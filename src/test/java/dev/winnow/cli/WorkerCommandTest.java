package dev.winnow.cli;

import dev.winnow.contract.StepName;
import dev.winnow.worker.Step;
import dev.winnow.worker.Steps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code winnow worker} has one subcommand per step of the contract, taken from the worker's registry. */
class WorkerCommandTest {

    @Test
    void theRegistryHasOneStepPerStepName() {
        assertEquals(Arrays.stream(StepName.values()).toList(), Steps.all().stream().map(Step::name).toList());
    }

    @Test
    void everyRegisteredStepIsASubcommandWithItsDescription() {
        CommandLine worker = new CommandLine(new WorkerCommand());
        Set<String> expected = Arrays.stream(StepName.values()).map(StepName::id).collect(Collectors.toCollection(TreeSet::new));
        expected.add("engine");
        assertEquals(expected, new TreeSet<>(worker.getSubcommands().keySet()));

        StringWriter help = new StringWriter();
        worker.setOut(new PrintWriter(help));
        assertEquals(0, worker.execute("await-labels", "--help"));
        assertTrue(help.toString().contains("Usage: worker await-labels"), help.toString());
        assertTrue(help.toString().contains(Steps.byName("await-labels").orElseThrow().description()), help.toString());
        assertTrue(help.toString().contains("--set=NAME=VALUE"), help.toString());
    }

    @Test
    void aStepSubcommandRunsItsStepWithTheOverrides(@TempDir Path dir) throws IOException {
        // no dataset variables in the test JVM: the index step refuses, into the log --set names
        Path log = dir.resolve("termination-log");
        CommandLine worker = new CommandLine(new WorkerCommand());
        worker.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, worker.execute("index", "--set", "WINNOW_TERMINATION_LOG=" + log, "--set", "classes=a,b"));
        assertTrue(Files.readString(log).contains("WINNOW_DATASET_FORMAT is required"), Files.readString(log));
    }
}
