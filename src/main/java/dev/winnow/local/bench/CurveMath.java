package dev.winnow.local.bench;

import java.util.List;
import java.util.OptionalLong;

/**
 * The numbers of a learning curve (metric against labeled samples) and of a set of them. Pure functions, so the
 * report's figures can be checked by hand.
 */
public final class CurveMath {
    private CurveMath() {
    }

    /** One point of a curve: the metric of the model trained on {@code labeled} samples. */
    public record Point(long labeled, double metric) {
    }

    /**
     * Area under the budget curve: the trapezoid rule over the labeled counts, divided by their range, so it is the
     * curve's mean height and lies in the metric's own scale (1.0 = perfect from the first label). Points must be in
     * rising order of labeled; a one-point curve's area is its metric. Comparable only between curves over the same
     * labeled range, as the loops of one benchmark are.
     */
    public static double aubc(List<Point> curve) {
        if (curve.isEmpty()) {
            throw new IllegalArgumentException("no points");
        }
        if (curve.size() == 1) {
            return curve.get(0).metric();
        }
        double area = 0;
        for (int i = 1; i < curve.size(); i++) {
            Point a = curve.get(i - 1);
            Point b = curve.get(i);
            if (b.labeled() <= a.labeled()) {
                throw new IllegalArgumentException("labeled counts must rise: " + a.labeled() + " then " + b.labeled());
            }
            area += (b.labeled() - a.labeled()) * (a.metric() + b.metric()) / 2;
        }
        return area / (curve.get(curve.size() - 1).labeled() - curve.get(0).labeled());
    }

    /** The fewest labels with which the curve reached the target: the first point at or above it. */
    public static OptionalLong labelsToReach(List<Point> curve, double target) {
        return curve.stream().filter(p -> p.metric() >= target).mapToLong(Point::labeled).findFirst();
    }

    public static double mean(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Sample standard deviation (n - 1): the spread over seeds; NaN for fewer than two values. */
    public static double sd(double[] values) {
        if (values.length < 2) {
            return Double.NaN;
        }
        double m = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - m) * (v - m);
        }
        return Math.sqrt(squares / (values.length - 1));
    }
}
