package dev.winnow.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.winnow.worker.AwaitLabelsStep;
import dev.winnow.worker.IndexStep;
import dev.winnow.worker.InferStep;
import dev.winnow.worker.PrepareStep;
import dev.winnow.worker.SelectStep;
import dev.winnow.worker.Step;
import dev.winnow.worker.StepEnvironment;
import dev.winnow.worker.StepRunner;
import dev.winnow.worker.TrainStep;
import dev.winnow.worker.model.Djl;
import dev.winnow.worker.model.NativeLibrary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code winnow worker <step>}: the step programs a Job runs. Inputs come from the contract's
 * environment (DESIGN §3); {@code --set NAME=VALUE} overrides a variable, e.g.
 * {@code --set epochs=3} or {@code --set WINNOW_TRAIN_IDS=file:///tmp/ids.txt}.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run one step of an active learning loop, configured by WINNOW_* variables.",
        subcommands = {
            WorkerCommand.Index.class,
            WorkerCommand.Prepare.class,
            WorkerCommand.Train.class,
            WorkerCommand.Infer.class,
            WorkerCommand.Select.class,
            WorkerCommand.AwaitLabels.class,
            WorkerCommand.EngineInfo.class
        })
public class WorkerCommand {

    /** Shared by every step subcommand: the overrides, the run, the exit code. */
    public abstract static class StepCommand implements Callable<Integer> {

        @Option(names = {"-s", "--set"}, paramLabel = "NAME=VALUE",
                description = "Override an environment variable (WINNOW_EPOCHS=3, epochs=3 or train-ids=...).")
        Map<String, String> overrides = new LinkedHashMap<>();

        protected abstract Step step();

        @Override
        public Integer call() {
            return StepRunner.run(step(), StepEnvironment.fromProcess(overrides)).exitCode();
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

    @Command(name = "index", mixinStandardHelpOptions = true,
            description = "Read the source and labels, write the manifest, report counts and tags.")
    public static class Index extends StepCommand {
        @Override
        protected Step step() {
            return new IndexStep();
        }
    }

    @Command(name = "prepare", mixinStandardHelpOptions = true,
            description = "Write the train and predict id lists of a training run.")
    public static class Prepare extends StepCommand {
        @Override
        protected Step step() {
            return new PrepareStep();
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train the reference image classifier (DJL), write a checkpoint.")
    public static class Train extends StepCommand {
        @Override
        protected Step step() {
            return new TrainStep();
        }
    }

    @Command(name = "infer", mixinStandardHelpOptions = true,
            description = "Predict probabilities, embeddings and MC-dropout samples for a shard of ids.")
    public static class Infer extends StepCommand {
        @Override
        protected Step step() {
            return new InferStep();
        }
    }

    @Command(name = "select", mixinStandardHelpOptions = true,
            description = "Pick the next samples to label from a run's predictions (or the pool), publish selection and tag.")
    public static class Select extends StepCommand {
        @Override
        protected Step step() {
            return new SelectStep();
        }
    }

    @Command(name = "await-labels", mixinStandardHelpOptions = true,
            description = "Wait for the labels of a selection, or write them from ground truth (Simulated).")
    public static class AwaitLabels extends StepCommand {
        @Override
        protected Step step() {
            return new AwaitLabelsStep();
        }
    }
}
