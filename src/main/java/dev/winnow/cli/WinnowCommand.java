package dev.winnow.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The `winnow` command: one jar for the operator, the step programs and the demo. */
@TopCommand
@Command(name = "winnow", mixinStandardHelpOptions = true, version = "winnow " + WinnowCommand.VERSION,
        description = "Active learning loops on Kubernetes.",
        subcommands = {OperatorCommand.class, WorkerCommand.class, SelectCommand.class, DemoCommand.class, DatasetCommand.class,
                BenchCommand.class, ReportCommand.class, MapCommand.class, DashboardCommand.class})
public class WinnowCommand {
    /** This build's version: the chart's appVersion and the images' tag (HelmChartTest holds them together). */
    public static final String VERSION = "0.2.0";
}
