package dev.winnow.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.winnow.worker.Step;
import dev.winnow.worker.StepEnvironment;
import dev.winnow.worker.StepRunner;
import dev.winnow.worker.Steps;
import dev.winnow.worker.model.Djl;
import dev.winnow.worker.model.NativeLibrary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code winnow worker <step>}: the step programs a Job runs, one subcommand per step of
 * {@link Steps#all()}. Inputs come from the contract's environment (DESIGN §3);
 * {@code --set NAME=VALUE} overrides a variable, e.g. {@code --set epochs=3} or
 * {@code --set WINNOW_TRAIN_IDS=file:///tmp/ids.txt}.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run one step of an active learning loop, configured by WINNOW_* variables.",
        subcommands = WorkerCommand.EngineInfo.class,
        modelTransformer = WorkerCommand.StepSubcommands.class)
public class WorkerCommand {

    /**
     * Adds a subcommand for every registered step, so a new step needs no code here. They are built
     * programmatically (not annotated) because Quarkus makes every {@code @Command} class a bean.
     */
    public static final class StepSubcommands implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            for (Step step : Steps.all()) {
                OptionSpec set = OptionSpec.builder("-s", "--set").paramLabel("NAME=VALUE")
                        .type(Map.class).auxiliaryTypes(String.class, String.class)
                        .description("Override an environment variable (WINNOW_EPOCHS=3, epochs=3 or train-ids=...).")
                        .build();
                CommandSpec sub = CommandSpec.wrapWithoutInspection(new StepCommand(step, set)).addOption(set)
                        .mixinStandardHelpOptions(true);
                sub.usageMessage().description(step.description());
                spec.addSubcommand(step.name().id(), new CommandLine(sub));
            }
            return spec;
        }
    }

    /** One step: the overrides, the run, the exit code. */
    private record StepCommand(Step step, OptionSpec set) implements Callable<Integer> {
        @Override
        public Integer call() {
            Map<String, String> overrides = set.getValue();
            return StepRunner.run(step, StepEnvironment.fromProcess(overrides == null ? Map.of() : overrides)).exitCode();
        }
    }

    @Command(name = "engine", mixinStandardHelpOptions = true,
            description = "Load the tensor engine and print it and its devices as JSON (is the GPU visible?).")
    public static class EngineInfo implements Callable<Integer> {
        @Option(names = "--unpack", paramLabel = "DIR",
                description = "Instead: unpack PyTorch's native library into DIR and its JNI library into "
                        + "the engine cache (ENGINE_CACHE_DIR), for an image that leaves the jar out.")
        Path unpack;

        @Option(names = "--flavor", description = "With --unpack: the PyTorch build the jar must hold (cpu, cu124).")
        String flavor;

        @Override
        public Integer call() throws Exception {
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            if (unpack != null) {
                try {
                    System.out.println(json.writeValueAsString(NativeLibrary.unpack(unpack, flavor)));
                    return 0;
                } catch (IllegalStateException e) {
                    System.err.println("error: " + e.getMessage());
                    return 2;
                }
            }
            System.out.println(json.writeValueAsString(Djl.describe()));
            return 0;
        }
    }
}
