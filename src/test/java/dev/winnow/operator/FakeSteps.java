package dev.winnow.operator;

import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * Plausible step results for reconciler tests, computed from the step environment the way the real
 * worker would report them: the train step's accuracy is a function of the round.
 */
final class FakeSteps {
    static final int POOL = 1000;
    /** What each select step chose, by selection URI, so its await step reports as many labels. */
    private static final Map<String, Integer> SELECTED = new java.util.concurrent.ConcurrentHashMap<>();

    private FakeSteps() {
    }

    static TestKubelet install(TestKubelet kubelet, IntToDoubleFunction accuracyByRound) {
        return kubelet
                .on("index", (job, i, env) -> TestKubelet.PodResult.ok(
                        "{\"samples\":" + POOL + ",\"labeled\":0,\"classHistogram\":{\"a\":0,\"b\":0},\"manifest\":\"" + env.get("WINNOW_MANIFEST") + "\"}"))
                .on("train", (job, i, env) -> TestKubelet.PodResult.ok(
                        "{\"metrics\":{\"accuracy\":" + accuracyByRound.applyAsDouble(round(env.get("WINNOW_CHECKPOINT_OUT")))
                                + ",\"loss\":0.5},\"checkpoint\":\"" + env.get("WINNOW_CHECKPOINT_OUT") + "\"}"))
                .on("infer", (job, i, env) -> TestKubelet.PodResult.ok("{\"count\":250,\"shard\":" + i + "}"))
                .on("select", (job, i, env) -> {
                    String count = env.getOrDefault("WINNOW_COUNT", "10");
                    SELECTED.put(env.get("WINNOW_SELECTION_OUT"), Integer.parseInt(count));
                    return TestKubelet.PodResult.ok("{\"selected\":" + count + ",\"selection\":\"" + env.get("WINNOW_SELECTION_OUT")
                            + "\",\"sha256\":\"0123abcd\"}");
                })
                .on("await-labels", (job, i, env) -> {
                    int selected = SELECTED.getOrDefault(env.get("WINNOW_SELECTION"), 0);
                    int labeled = env.containsKey("WINNOW_MIN_LABELS") ? Integer.parseInt(env.get("WINNOW_MIN_LABELS")) : selected;
                    return TestKubelet.PodResult.ok("{\"selected\":" + selected + ",\"labeled\":" + labeled + "}");
                });
    }

    /** Round r's run writes its checkpoint under runs/<loop>-r<r>/attempts/<uid>/model/. */
    static int round(String checkpointOut) {
        var m = java.util.regex.Pattern.compile("-r(\\d+)/attempts/[^/]+/model/$").matcher(checkpointOut == null ? "" : checkpointOut);
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

}
