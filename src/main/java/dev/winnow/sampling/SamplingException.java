package dev.winnow.sampling;

/**
 * A request the sampler cannot serve: bad input files, a missing input, an impossible count.
 * The message is one line that names the file (or option) and the problem, ready for a
 * terminal or a status condition.
 */
public class SamplingException extends RuntimeException {
    public SamplingException(String message) {
        super(message);
    }

    public SamplingException(String message, Throwable cause) {
        super(message, cause);
    }
}
