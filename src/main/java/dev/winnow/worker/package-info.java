/**
 * The step programs run in step Jobs ({@code winnow worker <step>}), configured by the contract's
 * environment (DESIGN §3, names in {@link dev.winnow.contract.Variables}); {@code --set NAME=VALUE}
 * overrides a variable. Each step writes one JSON object (under 4 KiB) to
 * {@code WINNOW_TERMINATION_LOG} or {@code /dev/termination-log}, prints it on stdout, and exits 0;
 * bad input exits 2, other failures 1, with {@code error: <reason>} as the last stderr line and
 * {@code {"error": "<reason>"}} as the termination message.
 *
 * <ul>
 *   <li>{@code index}: {@code {"samples", "labeled", "heldOut"?, "classHistogram", "manifest",
 *       "tags": [{"name", "count", "uri", "sha256"}], "tagsTotal"}}; tags newest first, at most
 *       50 and as many as fit the message. Classification histograms count samples per class,
 *       detection histograms boxes per class.</li>
 *   <li>{@code prepare}: {@code {"trainIds", "predictIds"}}.</li>
 *   <li>{@code train}: {@code {"metrics": {"accuracy"?, "evalLoss"?, "loss"}, "checkpoint",
 *       "trained", "evaluated", "validation", "epochs", "model"}}; {@code epochs} counts across
 *       resumes. Image classification only.</li>
 *   <li>{@code infer}: {@code {"predictions", "count", "shard", "shards", "files"}};
 *       {@code predictions} is the directory this shard wrote ({@code part-<i>/} when sharded).</li>
 *   <li>{@code await-labels}: {@code {"selected", "labeled", "mode"}}.</li>
 * </ul>
 *
 * <p>Sample ids: {@code train-<i>}/{@code test-<i>} for Idx, the path without extension for an
 * ImageFolder ({@code trouser/0001}), the manifest's {@code id} otherwise; label files of KITTI and
 * YOLO are named {@code <id>.txt}, COCO {@code file_name}s are ids with an image extension.
 *
 * <p>Run in process: {@link dev.winnow.worker.Steps#run(String, java.util.Map)} with the
 * environment map; or {@link dev.winnow.worker.StepRunner#run} with a {@link dev.winnow.worker.Step}.
 */
package dev.winnow.worker;
