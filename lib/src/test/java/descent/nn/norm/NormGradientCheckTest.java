package descent.nn.norm;

import descent.testing.FiniteDifference;

import static descent.testing.Close.assertClose;

import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Analytic backward vs central finite differences in double, with a random upstream gradient:
 * the scalar checked is {@code f = sum(upstream * forward(x))}, so df/dx = backward(upstream).
 * With h = 1e-6 the difference quotient is accurate to about 1e-9 here (truncation h^2 * f''' plus
 * rounding 1e-16 * |f| / h), so 1e-7 (scaled) leaves a margin and still catches any wrong term.
 */
class NormGradientCheckTest {

    private static final double H = 1e-6;
    private static final double TOL = 1e-7;

    private static INDArray randn(Random rng, long... shape) {
        return Nd4j.randn(rng, shape).castTo(DataType.DOUBLE);
    }

    private static void check(NormLayer<?> layer, INDArray x, Random rng) {
        layer.gamma(randn(rng, layer.parameterShape()).muli(0.5).addi(1.0));
        layer.beta(randn(rng, layer.parameterShape()));
        INDArray upstream = randn(rng, x.shape());
        layer.forward(x);
        INDArray dx = layer.backward(upstream);
        INDArray dgamma = layer.gradGamma().dup();
        INDArray dbeta = layer.gradBeta().dup();
        DoubleSupplier f = () -> layer.forward(x).mul(upstream).sumNumber().doubleValue();
        String name = layer.getClass().getSimpleName();
        assertClose(FiniteDifference.gradient(f, x, H), dx, TOL, name + " dx");
        assertClose(FiniteDifference.gradient(f, layer.gamma(), H), dgamma, TOL, name + " dgamma");
        assertClose(FiniteDifference.gradient(f, layer.beta(), H), dbeta, TOL, name + " dbeta");
    }

    @Test
    void batchNormOverNHWInTrainingMode() {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(11);
        check(new BatchNorm(2), randn(rng, 3, 2, 2, 2).muli(2).addi(0.5), rng);
    }

    @Test
    void batchNormOverNForFeatures() {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(12);
        check(new BatchNorm(3), randn(rng, 5, 3), rng);
    }

    @Test
    void batchNormInEvalModeTreatsRunningStatisticsAsConstants() {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(13);
        BatchNorm bn = new BatchNorm(3);
        bn.forward(randn(rng, 8, 3, 2, 2).muli(3).addi(1)); // move running stats away from 0 / 1
        bn.eval();
        check(bn, randn(rng, 2, 3, 2, 2), rng);
    }

    @Test
    void layerNormOverFeatures() {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(14);
        check(new LayerNorm(5), randn(rng, 3, 5), rng);
    }

    @Test
    void layerNormOverChannelHeightWidth() {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(15);
        check(new LayerNorm(2, 2, 3), randn(rng, 2, 2, 2, 3), rng);
    }

    @Test
    void instanceNormOverHeightWidth() {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(16);
        check(new InstanceNorm(2), randn(rng, 2, 2, 3, 3).muli(1.5).subi(0.2), rng);
    }
}
