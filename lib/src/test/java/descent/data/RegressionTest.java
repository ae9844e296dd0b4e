package descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RegressionTest {

    static final double[] W = {2.0, -1.0, 0.5};

    static void assertWellFormed(Regression.Data data, int n, int d) {
        assertArrayEquals(new long[] {n, d}, data.x().shape());
        assertArrayEquals(new long[] {n, 1}, data.y().shape());
        assertArrayEquals(new long[] {d, 1}, data.weights().shape());
        assertEquals(DataType.DOUBLE, data.x().dataType());
        assertEquals(DataType.DOUBLE, data.y().dataType());
        assertEquals(DataType.DOUBLE, data.weights().dataType());
        assertEquals(n, data.size());
        assertEquals(d, data.features());
    }

    @Test
    void linearShapesTrueParametersAndReproducibility() {
        Regression.Data a = Regression.linear(50, W, 1.5, 0.3, 7);
        assertWellFormed(a, 50, 3);
        assertArrayEquals(W, a.weights().toDoubleVector(), 0.0);
        assertEquals(1.5, a.bias());
        Regression.Data b = Regression.linear(50, W, 1.5, 0.3, 7);
        assertArrayEquals(a.x().data().asDouble(), b.x().data().asDouble(), 0.0);
        assertArrayEquals(a.y().data().asDouble(), b.y().data().asDouble(), 0.0);
        assertFalse(java.util.Arrays.equals(a.x().data().asDouble(),
                Regression.linear(50, W, 1.5, 0.3, 8).x().data().asDouble()));
    }

    @Test
    void linearDrawsFeaturesRowByRowThenTheNoise() {
        // Oracle: the same java.util.Random stream, consumed as documented (features of row i, then its noise).
        Random r = new Random(3);
        double x00 = r.nextGaussian(), x01 = r.nextGaussian(), e0 = r.nextGaussian();
        Regression.Data data = Regression.linear(1, new double[] {2.0, -1.0}, 0.5, 0.1, 3);
        assertEquals(x00, data.x().getDouble(0, 0), 0.0);
        assertEquals(x01, data.x().getDouble(0, 1), 0.0);
        assertEquals(2.0 * x00 - 1.0 * x01 + 0.5 + 0.1 * e0, data.y().getDouble(0, 0), 1e-15);
    }

    @Test
    void linearWithoutNoiseIsExact() {
        Regression.Data data = Regression.linear(40, W, -0.7, 0.0, 1);
        INDArray expected = data.x().mmul(data.weights()).add(-0.7);
        assertArrayEquals(expected.data().asDouble(), data.y().data().asDouble(), 1e-12);
    }

    @Test
    void linearLeastSquaresRecoversTheTrueParameters() {
        // With n = 4000 and noise 0.5 the least-squares estimate has standard error about 0.5 / sqrt(4000) = 0.008
        // per coefficient; 0.05 is more than 6 standard errors.
        Regression.Data data = Regression.linear(4000, W, 1.0, 0.5, 11);
        INDArray xb = Nd4j.hstack(data.x(), Nd4j.ones(DataType.DOUBLE, 4000, 1));
        INDArray theta = Nd4j.linalg().solve(xb.transpose().mmul(xb), xb.transpose().mmul(data.y()));
        double[] t = theta.toDoubleVector();
        for (int j = 0; j < 3; j++) {
            assertEquals(W[j], t[j], 0.05, "weight " + j);
        }
        assertEquals(1.0, t[3], 0.05, "bias");
        // The residual standard deviation estimates the noise.
        INDArray r = xb.mmul(theta).sub(data.y());
        assertEquals(0.5, Math.sqrt(r.mul(r).meanNumber().doubleValue()), 0.03);
    }

    @Test
    void logisticLabelsAreZeroOrOneWithTheModelsProbability() {
        Regression.Data data = Regression.logistic(4000, W, 0.5, 5);
        assertWellFormed(data, 4000, 3);
        double expectedOnes = 0;
        double ones = 0;
        for (int i = 0; i < 4000; i++) {
            double y = data.y().getDouble(i, 0);
            assertTrue(y == 0.0 || y == 1.0, "label " + y);
            ones += y;
            double z = data.x().getRow(i).mul(data.weights().reshape(3)).sumNumber().doubleValue() + 0.5;
            expectedOnes += 1.0 / (1.0 + Math.exp(-z));
        }
        // Sum of independent Bernoulli(p_i): variance <= n / 4 = 1000, standard deviation <= 32; allow 5 sd.
        assertEquals(expectedOnes, ones, 160);
        // Labels agree with the sign of the true logit far more often than chance.
        INDArray z = data.x().mmul(data.weights()).add(0.5);
        int agree = 0;
        for (int i = 0; i < 4000; i++) {
            agree += (z.getDouble(i, 0) > 0) == (data.y().getDouble(i, 0) == 1.0) ? 1 : 0;
        }
        assertTrue(agree > 3000, "only " + agree + " of 4000 labels agree with the true decision rule");
        Regression.Data again = Regression.logistic(4000, W, 0.5, 5);
        assertArrayEquals(data.y().data().asDouble(), again.y().data().asDouble(), 0.0);
    }

    @Test
    void badInputIsRefusedWithItsName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Regression.linear(0, W, 0, 0.1, 1))
                .getMessage().contains("n must be >= 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Regression.linear(5, new double[0], 0, 0.1, 1))
                .getMessage().contains("weights"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Regression.linear(5, new double[] {1, Double.NaN}, 0, 0.1, 1)).getMessage().contains("weights[1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Regression.linear(5, W, 0, -1, 1))
                .getMessage().contains("noise"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Regression.logistic(5, W, Double.POSITIVE_INFINITY, 1)).getMessage().contains("bias"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Regression.logistic(5, null, 0, 1))
                .getMessage().contains("weights"));
    }
}
