/**
 * The step contract (DESIGN §3, §4) in code, once: the environment variable names, the artifact
 * layout, the keys of a step's result, the step names, the vocabulary both sides of a Job speak
 * (tasks, formats, labeling modes, inference outputs) and the strategy catalog with what each
 * strategy reads and which parameters it takes. The operator writes this contract into Jobs, the
 * worker reads it; the API types use its enums. It imports nothing else of Winnow's.
 */
package dev.winnow.contract;
