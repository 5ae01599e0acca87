package dev.winnow.worker.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.winnow.worker.data.Box;

/**
 * Average precision at an IoU threshold, as PASCAL VOC computes it from 2010 on: per class, the
 * detections of all images ranked by score, each matched greedily to the best-overlapping unmatched
 * ground-truth box of its class in its image (IoU at least the threshold: a true positive; else a false
 * positive), then the area under the precision-recall curve with precision made monotone ("all-point"
 * interpolation, not the 11-point one of VOC 2007). mAP is the mean over the classes that have ground
 * truth; a class without ground truth has no AP (NaN) and does not count.
 */
public final class AveragePrecision {

    /** Per class AP (NaN where the class has no ground truth) and their mean. */
    public record Result(double map, double[] perClass) {
    }

    private AveragePrecision() {
    }

    /**
     * @param detections per image, in the same pixel frame as {@code truth}
     * @param truth      ground-truth boxes per image
     */
    public static Result of(List<List<Detection>> detections, List<List<Box>> truth, int classes, double iou) {
        if (detections.size() != truth.size()) {
            throw new IllegalArgumentException(detections.size() + " images of detections, " + truth.size() + " of truth");
        }
        double[] ap = new double[classes];
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            ap[c] = ofClass(detections, truth, c, iou);
            if (!Double.isNaN(ap[c])) {
                sum += ap[c];
                counted++;
            }
        }
        return new Result(counted == 0 ? 0 : sum / counted, ap);
    }

    private record Ranked(int image, Detection detection) {
    }

    static double ofClass(List<List<Detection>> detections, List<List<Box>> truth, int c, double threshold) {
        int positives = 0;
        List<boolean[]> matched = new ArrayList<>();
        for (List<Box> boxes : truth) {
            positives += (int) boxes.stream().filter(b -> b.label() == c).count();
            matched.add(new boolean[boxes.size()]);
        }
        if (positives == 0) {
            return Double.NaN;
        }
        List<Ranked> ranked = new ArrayList<>();
        for (int i = 0; i < detections.size(); i++) {
            for (Detection d : detections.get(i)) {
                if (d.label() == c) {
                    ranked.add(new Ranked(i, d));
                }
            }
        }
        // stable: equal scores keep image order, so the result does not depend on the sort
        ranked.sort(Comparator.comparingDouble((Ranked r) -> r.detection().score()).reversed());
        int n = ranked.size();
        double[] precision = new double[n];
        double[] recall = new double[n];
        int tp = 0;
        for (int k = 0; k < n; k++) {
            Ranked r = ranked.get(k);
            List<Box> boxes = truth.get(r.image());
            int best = -1;
            double bestIou = threshold;
            for (int g = 0; g < boxes.size(); g++) {
                Box b = boxes.get(g);
                if (b.label() != c || matched.get(r.image())[g]) {
                    continue;
                }
                double o = iou(r.detection(), b);
                if (o >= bestIou) {
                    bestIou = o;
                    best = g;
                }
            }
            if (best >= 0) {
                matched.get(r.image())[best] = true;
                tp++;
            }
            precision[k] = (double) tp / (k + 1);
            recall[k] = (double) tp / positives;
        }
        // all-point interpolation: precision at recall r is the best precision at any recall >= r
        for (int k = n - 2; k >= 0; k--) {
            precision[k] = Math.max(precision[k], precision[k + 1]);
        }
        double area = 0;
        double previousRecall = 0;
        for (int k = 0; k < n; k++) {
            area += (recall[k] - previousRecall) * precision[k];
            previousRecall = recall[k];
        }
        return area;
    }

    static double iou(Detection d, Box b) {
        double ix = Math.max(0, Math.min(d.x2(), b.x2()) - Math.max(d.x1(), b.x1()));
        double iy = Math.max(0, Math.min(d.y2(), b.y2()) - Math.max(d.y1(), b.y1()));
        double inter = ix * iy;
        double union = (d.x2() - d.x1()) * (d.y2() - d.y1()) + (b.x2() - b.x1()) * (b.y2() - b.y1()) - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
