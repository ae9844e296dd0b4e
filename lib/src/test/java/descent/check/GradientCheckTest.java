package descent.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.loss.Loss;
import descent.loss.Losses;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class GradientCheckTest {

    /** f(x) = sum(x^3), so df/dx = 3 x^2. */
    static final Function<INDArray, Double> SUM_OF_CUBES = x -> x.mul(x).muli(x).sumNumber().doubleValue();

    static INDArray x() {
        return Nd4j.createFromArray(new double[][] {{0.5, -1.2, 2.0}, {1.5, 0.3, -0.7}});
    }

    @Test
    void relativeErrorDefinition() {
        // |a - n| / max(|a| + |n|, 1e-12)
        assertEquals(0.5, GradientCheck.relativeError(1.0, 3.0));   // 2 / 4
        assertEquals(1.0, GradientCheck.relativeError(1.0, -1.0));  // 2 / 2
        assertEquals(1.0, GradientCheck.relativeError(0.0, 2.0));   // 2 / 2
        assertEquals(0.0, GradientCheck.relativeError(0.0, 0.0));   // 0 / 1e-12
        assertEquals(0.1, GradientCheck.relativeError(1e-13, 0.0), 1e-15); // 1e-13 / 1e-12
    }

    @Test
    void correctGradientPasses() {
        INDArray x = x();
        INDArray analytic = x.mul(x).muli(3);
        GradientCheck.Result result = GradientCheck.check(SUM_OF_CUBES, x, analytic);
        // truncation error of the central difference for x^3 is exactly eps^2 (f''' = 6, times eps^2 / 6):
        // relative eps^2 / (3 x^2) <= 1e-10 / 0.27 at x = 0.3, plus rounding
        assertTrue(result.passes(1e-8), result.toString());
        assertEquals(2, result.worstIndex().length);
    }

    @Test
    void wrongElementIsFoundAndReported() {
        INDArray x = x();
        INDArray analytic = x.mul(x).muli(3);
        analytic.putScalar(1, 2, 0.5 * analytic.getDouble(1, 2)); // half of 3 * 0.49 = 1.47
        GradientCheck.Result result = GradientCheck.check(SUM_OF_CUBES, x, analytic, 1e-5);
        assertArrayEquals(new long[] {1, 2}, result.worstIndex());
        // a = n / 2: |n/2 - n| / (n/2 + n) = 1/3
        assertEquals(1.0 / 3, result.maxRelativeError(), 1e-8);
        assertEquals(0.735, result.analytic(), 1e-12);
        assertEquals(1.47, result.numeric(), 1e-8);
        assertFalse(result.passes(1e-6));
        String text = result.toString();
        assertTrue(text.contains("max relative error 3.333e-01 at [1, 2]"), text);
        assertTrue(text.contains("analytic 0.7350000000") && text.contains("numeric 1.47"), text);
    }

    @Test
    void lossVariantUsesTheLossGradient() {
        Loss mse = Losses.create("mse");
        INDArray p = x();
        INDArray y = p.mul(0.5);
        assertTrue(GradientCheck.of(mse, p, y).passes(1e-8));
        assertTrue(GradientCheck.of(mse, p, y, 1e-4).passes(1e-8));
    }

    @Test
    void xIsNotModifiedEvenWhenFMutatesItsArgument() {
        INDArray x = x();
        INDArray before = x.dup();
        Function<INDArray, Double> inPlace = w -> w.muli(w).sumNumber().doubleValue(); // sum(w^2), in place
        GradientCheck.Result result = GradientCheck.check(inPlace, x, x.mul(2));
        assertArrayEquals(before.data().asDouble(), x.data().asDouble(), 0.0);
        assertTrue(result.passes(1e-8), result.toString());
    }

    @Test
    void checksATwoLayerNetworkWithRespectToAWeightMatrix() {
        // The notebook use: loss(W1) = mean((tanh(X W1) W2 - Y)^2), analytic gradient by hand-written backprop.
        INDArray xs = Nd4j.createFromArray(new double[][] {{0.1, -0.4}, {0.7, 0.2}, {-0.3, 0.9}});
        INDArray w1 = Nd4j.createFromArray(new double[][] {{0.5, -0.3, 0.8}, {0.2, 0.6, -0.1}});
        INDArray w2 = Nd4j.createFromArray(new double[][] {{0.4}, {-0.7}, {0.3}});
        INDArray ys = Nd4j.createFromArray(new double[][] {{0.2}, {-0.1}, {0.5}});
        Loss mse = Losses.create("mse");
        Function<INDArray, Double> lossOfW1 = w -> mse.value(Transforms.tanh(xs.mmul(w), true).mmul(w2), ys);
        INDArray h = Transforms.tanh(xs.mmul(w1), true);
        INDArray dOut = mse.gradient(h.mmul(w2), ys);                             // [3, 1]
        INDArray dH = dOut.mmul(w2.transpose());                                  // [3, 3]
        INDArray dPre = dH.mul(h.mul(h).rsubi(1.0));                              // tanh' = 1 - tanh^2
        INDArray dW1 = xs.transpose().mmul(dPre);                                 // [2, 3]
        assertTrue(GradientCheck.check(lossOfW1, w1, dW1).passes(1e-7));
        // forgetting tanh' is caught
        GradientCheck.Result wrong = GradientCheck.check(lossOfW1, w1, xs.transpose().mmul(dH));
        assertFalse(wrong.passes(1e-3), wrong.toString());
    }

    @Test
    void floatInputIsCheckedInDouble() {
        INDArray x = x().castTo(DataType.FLOAT);
        GradientCheck.Result result = GradientCheck.check(SUM_OF_CUBES, x, x.mul(x).muli(3));
        // the analytic gradient is only float-accurate (~1e-7 relative); the numeric one is computed in double
        assertTrue(result.passes(1e-6), result.toString());
    }

    @Test
    void badInput() {
        INDArray x = x();
        String shape = assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.check(SUM_OF_CUBES, x, Nd4j.zeros(DataType.DOUBLE, 3, 2))).getMessage();
        assertTrue(shape.contains("[2, 3]") && shape.contains("[3, 2]"), shape);
        for (double eps : new double[] {0.0, -1e-5, Double.NaN, Double.POSITIVE_INFINITY}) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> GradientCheck.check(SUM_OF_CUBES, x, x, eps)).getMessage();
            assertTrue(message.contains("eps"), message);
        }
        INDArray nan = x.dup();
        nan.putScalar(0, 1, Double.NaN);
        String analytic = assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.check(SUM_OF_CUBES, x, nan)).getMessage();
        assertTrue(analytic.contains("analytic") && analytic.contains("NaN") && analytic.contains("[0, 1]"), analytic);
        String f = assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.check(w -> Double.NaN, x, x)).getMessage();
        assertTrue(f.contains("f returned NaN") && f.contains("[0, 0]"), f);
        String empty = assertThrows(IllegalArgumentException.class, () -> GradientCheck.check(SUM_OF_CUBES,
                Nd4j.zeros(DataType.DOUBLE, 0, 2), Nd4j.zeros(DataType.DOUBLE, 0, 2))).getMessage();
        assertTrue(empty.contains("empty"), empty);
        assertThrows(IllegalArgumentException.class, () -> GradientCheck.check(null, x, x));
        assertThrows(IllegalArgumentException.class, () -> GradientCheck.of(null, x, x));
    }
}
