package dev.winnow.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.winnow.contract.StepName;
import dev.winnow.storage.ArtifactStore;

/**
 * One step program of the contract (DESIGN §3): reads its environment, returns its summary. A new
 * step is a class implementing this plus its line in {@link Steps#all()}; {@code winnow worker}
 * gets its subcommand from there.
 */
public interface Step {

    /** The value of {@code WINNOW_STEP} and the subcommand name, e.g. {@code train}. */
    StepName name();

    /** One line for {@code winnow worker --help}. */
    String description();

    /**
     * Does the work and returns the summary for the termination message (kept under 4 KiB).
     *
     * @throws StepException on bad input
     */
    ObjectNode run(StepEnvironment env, ArtifactStore store) throws Exception;
}
