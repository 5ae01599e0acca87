package dev.winnow.worker;

/**
 * Bad input to a step (a missing variable, an empty training set, an unknown class): the step
 * exits non-zero with this message as its one-line reason. Not retried usefully, so the message
 * must tell a person what to fix.
 */
public class StepException extends RuntimeException {

    public StepException(String message) {
        super(message);
    }

    public StepException(String message, Throwable cause) {
        super(message, cause);
    }
}
