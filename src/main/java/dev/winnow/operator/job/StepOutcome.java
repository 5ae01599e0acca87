package dev.winnow.operator.job;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * What a step's Job shows: just created, running, succeeded with the steps' JSON results (one per
 * pod; one per shard for Indexed Jobs, in index order), or failed with a message for people.
 */
public record StepOutcome(State state, String jobName, List<JsonNode> results, String message) {
    public enum State { STARTED, RUNNING, SUCCEEDED, FAILED }

    public static StepOutcome started(String job) {
        return new StepOutcome(State.STARTED, job, List.of(), "created Job " + job);
    }

    public static StepOutcome running(String job, String message) {
        return new StepOutcome(State.RUNNING, job, List.of(), message);
    }

    public static StepOutcome succeeded(String job, List<JsonNode> results) {
        return new StepOutcome(State.SUCCEEDED, job, List.copyOf(results), "Job " + job + " succeeded");
    }

    public static StepOutcome failed(String job, String message) {
        return new StepOutcome(State.FAILED, job, List.of(), message);
    }

    public boolean done() {
        return state == State.SUCCEEDED || state == State.FAILED;
    }

    /** The single result of a one-pod step (an empty object when the step wrote none). */
    public JsonNode result() {
        return results.isEmpty() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : results.get(0);
    }
}
