package descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The initialization schemes of {@link Init}: their variance, bound and bias, and that the default did not change. */
class InitTest {

    static Linear layer(int in, int out, Init init) {
        Linear l = new Linear(in, out);
        if (init != null) {
            l.init(init);
        }
        Sequential.input(in).add(l).dataType(DataType.DOUBLE).seed(3).build();
        return l;
    }

    static double variance(INDArray w) {
        return w.varNumber().doubleValue();
    }

    @Test
    void varianceAndBoundOfEachScheme() {
        int in = 300;
        int out = 100;
        // Var of U(-a, a) is a^2 / 3; 30,000 draws give the variance to about 1%.
        Object[][] cases = {
            {Init.TORCH_DEFAULT, 1.0 / (3 * in), 1 / Math.sqrt(in)},
            {Init.XAVIER_UNIFORM, 2.0 / (in + out), Math.sqrt(6.0 / (in + out))},
            {Init.XAVIER_NORMAL, 2.0 / (in + out), Double.NaN},
            {Init.HE_UNIFORM, 2.0 / in, Math.sqrt(6.0 / in)},
            {Init.HE_NORMAL, 2.0 / in, Double.NaN},
            {Init.normal(0.05), 0.05 * 0.05, Double.NaN},
        };
        for (Object[] c : cases) {
            Linear l = layer(in, out, (Init) c[0]);
            double expected = (double) c[1];
            double v = variance(l.weight());
            assertEquals(expected, v, 0.05 * expected, "variance for " + c[0]);
            assertEquals(0, l.weight().meanNumber().doubleValue(), 4 * Math.sqrt(expected / (in * out)));
            double bound = (double) c[2];
            if (!Double.isNaN(bound)) {
                double max = l.weight().amaxNumber().doubleValue();
                assertTrue(max <= bound && max > 0.99 * bound, "max |w| " + max + " vs bound " + bound);
            }
            if (c[0] != Init.TORCH_DEFAULT) {
                assertEquals(0, l.bias().amaxNumber().doubleValue(), 0.0, "bias starts at 0");
            }
        }
    }

    @Test
    void defaultIsTorchsAndUnchanged() {
        Linear implicit = layer(50, 20, null);
        Linear explicit = layer(50, 20, Init.TORCH_DEFAULT);
        assertEquals(implicit.weight(), explicit.weight());
        assertEquals(implicit.bias(), explicit.bias());
        double max = implicit.bias().amaxNumber().doubleValue();
        assertTrue(max > 0 && max <= 1 / Math.sqrt(50), "default bias is uniform in 1/sqrt(in), max " + max);
    }

    @Test
    void sameSeedSameWeights() {
        assertEquals(layer(40, 30, Init.HE_NORMAL).weight(), layer(40, 30, Init.HE_NORMAL).weight());
    }

    @Test
    void misuseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Linear(2, 2).init(null));
        assertThrows(IllegalArgumentException.class, () -> Init.normal(0));
        Linear l = layer(3, 2, null);
        assertThrows(IllegalStateException.class, () -> l.init(Init.HE_NORMAL));
    }
}
