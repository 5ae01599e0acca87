package dev.winnow.operator;

import java.time.Duration;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waits for the operator to get somewhere, or fails saying where it was. */
public final class Eventually {
    private Eventually() {
    }

    public static void until(Duration timeout, Supplier<Boolean> condition, Supplier<String> state) {
        until(timeout, Duration.ofMillis(25), condition, state);
    }

    /** Asks every {@code poll}: a real API server is asked less often than the mock one. */
    public static void until(Duration timeout, Duration poll, Supplier<Boolean> condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(condition.get())) {
                return;
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        fail("timed out after " + timeout + "; state: " + state.get());
    }
}
