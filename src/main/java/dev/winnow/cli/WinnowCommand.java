package dev.winnow.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The `winnow` command: one jar for the operator, the step programs and the demo. */
@TopCommand
@Command(name = "winnow", mixinStandardHelpOptions = true, version = "winnow 0.1.0",
        description = "Active learning loops on Kubernetes.",
        subcommands = {OperatorCommand.class, WorkerCommand.class, SelectCommand.class, DemoCommand.class, DatasetCommand.class,
                BenchCommand.class, ReportCommand.class, MapCommand.class})
public class WinnowCommand {
}
