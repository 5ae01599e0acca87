package dev.winnow.operator.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.operator.status.Reason;

import java.util.List;

/**
 * What a step's Job shows: just created, starting (pods exist, not all run yet), running, settling
 * (nothing worth telling), stuck because its pods cannot be created or cannot start, succeeded with the steps' JSON results (one per pod; one per shard for
 * Indexed Jobs, in index order), or failed with a message for people.
 */
public record StepOutcome(State state, String jobName, List<JsonNode> results, Reason reason, String message, List<String> attempts) {
    public enum State { STARTED, STARTING, RUNNING, SETTLING, STUCK, SUCCEEDED, FAILED }

    /**
     * How soon a starting step is looked at again: an image that cannot be pulled or a pod left
     * unscheduled changes the pod, not the Job, so no Job event would tell.
     */
    public static final java.time.Duration RECHECK_STARTING = java.time.Duration.ofSeconds(30);

    public static StepOutcome started(String job) {
        return new StepOutcome(State.STARTED, job, List.of(), null, "created Job " + job, List.of());
    }

    /** Pods exist but not all of them run yet: scheduling, pulling images, running init containers. */
    public static StepOutcome starting(String job, String message) {
        return new StepOutcome(State.STARTING, job, List.of(), null, message, List.of());
    }

    public static StepOutcome running(String job, String message) {
        return new StepOutcome(State.RUNNING, job, List.of(), null, message, List.of());
    }

    /**
     * The Job's pods are not created yet, or have just ended and the Job controller is counting them:
     * no news, so status keeps what it says. The message is for a status that says nothing yet.
     */
    public static StepOutcome settling(String job, String message) {
        return new StepOutcome(State.SETTLING, job, List.of(), null, message, List.of());
    }

    /**
     * The Job controller cannot create the pods (Pod Security, quota, a webhook), or their containers
     * cannot start (an image that cannot be pulled, a missing Secret); the message says why.
     */
    public static StepOutcome stuck(String job, Reason reason, String message) {
        return new StepOutcome(State.STUCK, job, List.of(), reason, message, List.of());
    }

    public static StepOutcome succeeded(String job, List<JsonNode> results) {
        return succeeded(job, results, List.of());
    }

    /** @param attempts the uid of the pod each result came from, in the same order */
    public static StepOutcome succeeded(String job, List<JsonNode> results, List<String> attempts) {
        return new StepOutcome(State.SUCCEEDED, job, List.copyOf(results), null, "Job " + job + " succeeded", List.copyOf(attempts));
    }

    public static StepOutcome failed(String job, String message) {
        return new StepOutcome(State.FAILED, job, List.of(), null, message, List.of());
    }

    /** Failed for a reason of its own (a refused engine resource, say), which the run takes instead of its step's. */
    public static StepOutcome failed(String job, Reason reason, String message) {
        return new StepOutcome(State.FAILED, job, List.of(), reason, message, List.of());
    }

    public boolean done() {
        return state == State.SUCCEEDED || state == State.FAILED;
    }

    public StepOutcome(State state, String jobName, List<JsonNode> results, Reason reason, String message) {
        this(state, jobName, results, reason, message, List.of());
    }

    /** The pod whose result {@link #result()} is: the attempt whose outputs the next step reads; null when unknown. */
    public String attempt() {
        return attempts.isEmpty() ? null : attempts.get(0);
    }

    /** The single result of a one-pod step (an empty object when the step wrote none). */
    public JsonNode result() {
        return results.isEmpty() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : results.get(0);
    }
}
