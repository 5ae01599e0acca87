package dev.winnow.worker;

import java.io.PrintStream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jboss.logging.Logger;

import dev.winnow.contract.Results;
import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StorageException;
import dev.winnow.storage.Stores;

/**
 * Runs a step the way a Job runs it: builds the artifact store from the AWS variables, runs the
 * step, writes the termination message, prints the summary on stdout and a one-line reason on
 * stderr when it fails. Used by the {@code winnow worker} subcommands and callable in-process.
 */
public final class StepRunner {

    private static final Logger LOG = Logger.getLogger(StepRunner.class);

    private StepRunner() {
    }

    public static StepResult run(Step step, StepEnvironment env) {
        return run(step, env, System.out, System.err);
    }

    public static StepResult run(Step step, StepEnvironment env, PrintStream out, PrintStream err) {
        StepResult result;
        try (ArtifactStore store = Stores.fromEnvironment(env.asMap())) {
            ObjectNode summary = step.run(env, store);
            result = new StepResult(0, summary);
        } catch (StepException | IllegalArgumentException e) {
            result = failure(StepResult.BAD_INPUT, e.getMessage(), err);
        } catch (StorageException e) {
            // a missing input artifact is the user's to fix, other storage failures may pass
            int code = e.getMessage() != null && e.getMessage().startsWith("not found")
                    ? StepResult.BAD_INPUT : StepResult.FAILURE;
            result = failure(code, e.getMessage(), err);
        } catch (Exception | LinkageError e) {
            LOG.error("step " + step.name() + " failed", e);
            result = failure(StepResult.FAILURE, e.getClass().getSimpleName() + ": " + e.getMessage(), err);
        }
        String json = result.toJson();
        try {
            TerminationLog.write(env, json);
        } catch (IllegalStateException e) {
            err.println(step.name() + ": " + e.getMessage());
            return new StepResult(StepResult.FAILURE, result.json());
        }
        if (result.succeeded()) {
            out.println(json);
        }
        return result;
    }

    private static StepResult failure(int code, String message, PrintStream err) {
        String line = oneLine(message);
        err.println("error: " + line);
        ObjectNode json = StepResult.object();
        json.put(Results.ERROR, line);
        return new StepResult(code, json);
    }

    /** The reason on one line and short enough for the 4 KiB termination message. */
    static String oneLine(String message) {
        String line = message == null ? "unknown error" : message.replaceAll("\\s*\\R\\s*", " ").trim();
        return line.length() > 1000 ? line.substring(0, 1000) + "..." : line;
    }
}
