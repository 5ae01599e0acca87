package dev.winnow.local.kubelet;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import dev.winnow.worker.StepRunner;
import dev.winnow.worker.StepEnvironment;
import dev.winnow.worker.Steps;

/**
 * The real worker's steps run in this JVM instead of a {@code java -jar} child: what a packaged jar would do,
 * without the jar or a JVM start per step, so whole loops with the real trainer fit in a unit test.
 */
public final class InProcessSteps implements StepLauncher {

    @Override
    public Process start(java.util.List<String> args, java.util.Map<String, String> env, Path workingDir, Path log) {
        if (args.size() != 2 || !args.get(0).equals("worker")) {
            throw new IllegalArgumentException("not a worker step: " + args);
        }
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try (PrintStream out = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
                return StepRunner.run(Steps.byName(args.get(1)).orElseThrow(), StepEnvironment.of(env), out, out).exitCode();
            } catch (java.io.IOException e) {
                return 128;
            }
        }, task -> {
            // a thread per step, as a process would be: the common pool has one thread on two cores
            Thread thread = new Thread(task, "step-" + args.get(1));
            thread.setDaemon(true);
            thread.start();
        });
        return new Process() {
            @Override
            public OutputStream getOutputStream() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public InputStream getInputStream() {
                return new ByteArrayInputStream(new byte[0]);
            }

            @Override
            public InputStream getErrorStream() {
                return new ByteArrayInputStream(new byte[0]);
            }

            @Override
            public int waitFor() {
                try {
                    return exit.join();
                } catch (java.util.concurrent.CancellationException e) {
                    return 137;
                }
            }

            @Override
            public int exitValue() {
                if (!exit.isDone()) {
                    throw new IllegalThreadStateException("running");
                }
                return waitFor();
            }

            @Override
            public void destroy() {
                exit.cancel(true);
            }

            @Override
            public Stream<ProcessHandle> descendants() {
                return Stream.empty();
            }
        };
    }
}
