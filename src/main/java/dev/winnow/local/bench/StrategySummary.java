package dev.winnow.local.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One strategy over its seeds: AUBC and final metric as mean and sample sd, how many labels it took to reach the
 * target (mean over the seeds that reached it), the mean time of a selection, and the mean curve with its sd.
 */
public record StrategySummary(String strategy, int seeds, double aubcMean, double aubcSd, double finalMean, double finalSd,
                              double labelsToTargetMean, int reachedTarget, double selectSecondsMean, List<CurvePoint> curve) {
    /** The curve's mean and sd over the seeds that have a point at this labeled count. */
    public record CurvePoint(long labeled, double mean, double sd) {
    }

    /** Summarizes the loops of one strategy; each must have at least one point on its curve. */
    public static StrategySummary of(String strategy, List<LoopResult> loops, double target) {
        double[] aubc = new double[loops.size()];
        double[] last = new double[loops.size()];
        List<Double> toTarget = new ArrayList<>();
        List<Double> selectSeconds = new ArrayList<>();
        Map<Long, List<Double>> byLabeled = new TreeMap<>();
        for (int i = 0; i < loops.size(); i++) {
            List<CurveMath.Point> curve = loops.get(i).curve();
            aubc[i] = CurveMath.aubc(curve);
            last[i] = curve.get(curve.size() - 1).metric();
            OptionalLong reached = CurveMath.labelsToReach(curve, target);
            reached.ifPresent(n -> toTarget.add((double) n));
            curve.forEach(p -> byLabeled.computeIfAbsent(p.labeled(), k -> new ArrayList<>()).add(p.metric()));
            loops.get(i).rounds().stream().filter(r -> r.selectSeconds() != null).forEach(r -> selectSeconds.add(r.selectSeconds()));
        }
        List<CurvePoint> mean = new ArrayList<>();
        byLabeled.forEach((labeled, values) -> {
            double[] v = unbox(values);
            mean.add(new CurvePoint(labeled, CurveMath.mean(v), v.length < 2 ? 0 : CurveMath.sd(v)));
        });
        return new StrategySummary(strategy, loops.size(), CurveMath.mean(aubc), CurveMath.sd(aubc), CurveMath.mean(last),
                CurveMath.sd(last), CurveMath.mean(unbox(toTarget)), toTarget.size(), CurveMath.mean(unbox(selectSeconds)),
                List.copyOf(mean));
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
