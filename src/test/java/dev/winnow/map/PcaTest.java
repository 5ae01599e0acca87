package dev.winnow.map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class PcaTest {

    @Test
    void sixPointsProjectOntoTheirDiagonalsByHand() {
        // mean 0; covariance [[2, 4/3], [4/3, 2]]: axes (1,1)/sqrt2 (eigenvalue 10/3) and (1,-1)/sqrt2 (2/3)
        float[] rows = {-2, -2, -1, -1, 1, 1, 2, 2, 1, -1, -1, 1};
        double r = Math.sqrt(2);

        double[] xy = Pca.project(rows, 6, 2);

        assertArrayEquals(new double[] {-4 / r, 0, -2 / r, 0, 2 / r, 0, 4 / r, 0, 0, 2 / r, 0, -2 / r}, xy, 1e-9);
    }

    @Test
    void theMeanDoesNotMatterAndOneColumnGivesAFlatSecondAxis() {
        float[] shifted = {8, 3, 9, 3, 11, 3};

        double[] xy = Pca.project(shifted, 3, 2);

        assertArrayEquals(new double[] {-4.0 / 3, 0, -1.0 / 3, 0, 5.0 / 3, 0}, xy, 1e-9);
    }
}
