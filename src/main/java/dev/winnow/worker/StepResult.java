package dev.winnow.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outcome of a step: its exit code and the JSON object reported through the termination log
 * (the summary on success, {@code {"error": "..."}} on failure).
 */
public record StepResult(int exitCode, ObjectNode json) {

    /** Kubernetes keeps at most 4096 bytes of a termination message. */
    public static final int MAX_MESSAGE_BYTES = 4096;

    /** Exit code for bad input (the message says what to fix). */
    public static final int BAD_INPUT = dev.winnow.contract.Results.BAD_INPUT_EXIT_CODE;
    /** Exit code for any other failure (I/O, a bug): worth a retry under backoffLimit. */
    public static final int FAILURE = 1;

    static final ObjectMapper JSON = new ObjectMapper();

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
