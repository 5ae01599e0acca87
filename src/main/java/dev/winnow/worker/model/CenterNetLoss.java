package dev.winnow.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * CenterNet's losses (Zhou et al., "Objects as Points", 2019) on NDArrays: the penalty-reduced focal
 * loss on the centre heatmap (alpha 2, beta 4), plus L1 on size (weight 0.1) and offset at the centre
 * cells, each divided by the number of objects.
 */
final class CenterNetLoss {

    static final float SIZE_WEIGHT = 0.1f;
    /** The heatmap's logits start near this prior (sigmoid 0.1), so early training is not swamped by negatives. */
    static final float PRIOR_LOGIT = -2.19f;
    private static final float EPS = 1e-4f;

    private CenterNetLoss() {
    }

    /** Probabilities of the heatmap logits the network outputs. */
    static NDArray heat(NDArray logits) {
        return Activation.sigmoid(logits.add(PRIOR_LOGIT));
    }

    /**
     * @param logits [n, C, g, g] heatmap logits
     * @param box    [n, 4, g, g] size and offset predictions
     * @param heat   [n, C, g, g] Gaussian targets, 1 at centres
     * @param target [n, 4, g, g] size and offset targets at centres
     * @param mask   [n, 1, g, g] 1 at centre cells
     */
    static NDArray of(NDArray logits, NDArray box, NDArray heat, NDArray target, NDArray mask, int objects) {
        float norm = Math.max(1, objects);
        NDArray p = heat(logits).clip(EPS, 1 - EPS);
        NDArray positive = heat.eq(1f).toType(p.getDataType(), false);
        NDArray negative = positive.neg().add(1f);
        NDArray positiveLoss = p.log().mul(p.neg().add(1f).pow(2)).mul(positive);
        NDArray negativeLoss = p.neg().add(1f).log().mul(p.pow(2)).mul(heat.neg().add(1f).pow(4)).mul(negative);
        NDArray focal = positiveLoss.sum().add(negativeLoss.sum()).neg().div(norm);
        NDArray l1 = box.sub(target).abs().mul(mask);
        NDArray size = l1.get(":, 0:2").sum().mul(SIZE_WEIGHT).div(norm);
        NDArray offset = l1.get(":, 2:4").sum().div(norm);
        return focal.add(size).add(offset);
    }
}
