package descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DropoutTest {

    @Test
    void keepsTheExpectationWithinFiveBinomialStandardDeviations() {
        double p = 0.3;
        Dropout drop = new Dropout(p, 7);
        int size = 100_000, draws = 10;
        long m = (long) size * draws; // 1e6 masked elements
        INDArray x = Nd4j.valueArrayOf(new long[] {size}, 2.0, DataType.DOUBLE);
        double sum = 0;
        long zeros = 0;
        for (int d = 0; d < draws; d++) {
            INDArray y = drop.forward(x, true);
            sum += y.sumNumber().doubleValue();
            zeros += y.eq(0.0).castTo(DataType.INT).sumNumber().longValue();
        }
        // y_i = x * B_i / (1 - p), B_i ~ Bernoulli(1 - p): E[y_i] = x, Var[y_i] = x^2 p / (1 - p).
        // The mean of m such elements has sd = x * sqrt(p / ((1 - p) m)) = 2 * sqrt(0.3 / 0.7 / 1e6) = 1.31e-3;
        // bound: 5 sd = 6.5e-3.
        double sdOfMean = 2.0 * Math.sqrt(p / ((1 - p) * m));
        assertEquals(2.0, sum / m, 5 * sdOfMean, "mean of dropped-out values");
        // The zero count is Binomial(m, p): sd = sqrt(m p (1 - p)) = 458; bound 5 sd around m p = 300000.
        assertEquals(m * p, zeros, 5 * Math.sqrt(m * p * (1 - p)), "number of zeroed elements");
    }

    @Test
    void maskHoldsZerosAndOneOverKeepProbabilityAndBackwardReusesIt() {
        Dropout drop = new Dropout(0.25, 11);
        INDArray x = Nd4j.linspace(1.0, 60.0, 60, DataType.DOUBLE).reshape(3, 4, 5);
        INDArray y = drop.forward(x, true);
        INDArray mask = drop.mask();
        double scale = 1 / 0.75;
        for (long i = 0; i < mask.length(); i++) {
            double v = mask.getDouble(i);
            assertTrue(v == 0.0 || v == scale, "mask value " + v);
        }
        assertEquals(x.mul(mask), y);
        INDArray g = Nd4j.linspace(-3.0, 3.0, 60, DataType.DOUBLE).reshape(3, 4, 5);
        INDArray dx = drop.backward(g);
        assertEquals(g.mul(mask), dx, "backward multiplies by the forward's mask");
        // x has no zeros, so y_i == 0 exactly where the mask is 0
        for (long i = 0; i < y.length(); i++) {
            assertEquals(y.getDouble(i) == 0.0, mask.getDouble(i) == 0.0);
        }
    }

    @Test
    void evalModeIsTheIdentity() {
        Dropout drop = new Dropout(0.5, 1);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 6);
        INDArray copy = x.dup();
        assertSame(x, drop.forward(x, false));
        assertEquals(copy, x);
        INDArray g = Nd4j.rand(DataType.DOUBLE, 4, 6);
        assertSame(g, drop.backward(g));
        assertNotEquals(x, drop.forward(x, true), "training mode drops again");
    }

    @Test
    void sameSeedSameMasksDifferentSeedDifferentMasks() {
        INDArray x = Nd4j.ones(DataType.DOUBLE, 50, 20);
        Dropout a = new Dropout(0.5, 123), b = new Dropout(0.5, 123), c = new Dropout(0.5, 124);
        for (int step = 0; step < 3; step++) {
            INDArray ya = a.forward(x, true).dup();
            assertEquals(ya, b.forward(x, true), "step " + step);
            assertNotEquals(ya, c.forward(x, true), "step " + step);
        }
        INDArray first = new Dropout(0.5, 123).forward(x, true).dup();
        INDArray second = a.forward(x, true);
        assertNotEquals(first, second, "a fresh mask every forward");
    }

    @Test
    void zeroProbabilityKeepsEverything() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 5);
        assertEquals(x, new Dropout(0.0, 5).forward(x, true));
    }
}
