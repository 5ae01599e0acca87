package dev.winnow.cli;

import dev.winnow.local.demo.DemoSession;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.util.function.Supplier;

/** What {@code winnow demo} and {@code winnow bench} share around a local session: option checks, Ctrl-C, errors. */
final class LocalRun {
    private LocalRun() {
    }

    /** Turns a check's IllegalArgumentException into picocli's usage error for that option. */
    static <T> T option(CommandSpec spec, String option, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    /** What runs after the loops end, on the session that ran them. */
    @FunctionalInterface
    interface After {
        int apply(DemoSession session, int exit) throws Exception;
    }

    /**
     * Runs the session and then {@code after}. Ctrl-C kills the steps' processes and saves the state, so the next
     * run resumes; a session that cannot go on prints why and exits 1.
     */
    /** {@code --task}: true for detection, false for classification, else a clear error. */
    static boolean detection(CommandSpec spec, String task) {
        return switch (task) {
            case "classification" -> false;
            case "detection" -> true;
            default -> throw new ParameterException(spec.commandLine(), "--task: classification or detection, not " + task);
        };
    }

    static int run(DemoSession session, String command, After after) throws Exception {
        Thread hook = new Thread(session::close, "winnow-" + command + "-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return after.apply(session, session.run());
        } catch (IllegalStateException e) {
            System.err.println("winnow " + command + ": " + e.getMessage());
            return 1;
        } finally {
            session.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // already running: it has done its work
            }
        }
    }
}
