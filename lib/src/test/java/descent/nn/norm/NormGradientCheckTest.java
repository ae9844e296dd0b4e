package descent.nn.norm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.check.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Analytic backward vs central finite differences ({@link GradientCheck}) in double, with a random upstream gradient:
 * the scalar checked is {@code f = sum(upstream * forward(x))}, so df/dx = backward(upstream). Images are channels
 * last. Every BatchNorm check runs on both computations (the fast path and {@code plain(true)}).
 */
class NormGradientCheckTest {

    private static final double TOL = 1e-7;

    private static INDArray randn(Random rng, long... shape) {
        return Nd4j.randn(rng, shape).castTo(DataType.DOUBLE);
    }

    private static void check(NormLayer<?> layer, INDArray x, boolean training, Random rng) {
        layer.gamma(randn(rng, layer.parameterShape()).muli(0.5).addi(1.0));
        layer.beta(randn(rng, layer.parameterShape()));
        INDArray upstream = randn(rng, x.shape());
        layer.forward(x, training);
        INDArray dx = layer.backward(upstream).dup();
        INDArray dgamma = layer.gradGamma().dup();
        INDArray dbeta = layer.gradBeta().dup();
        INDArray gamma0 = layer.gamma().dup();
        INDArray beta0 = layer.beta().dup();
        String name = layer.describe() + (training ? " training" : " evaluation");
        double ex = GradientCheck.check(xp -> layer.forward(xp, training).mul(upstream).sumNumber().doubleValue(),
                x, dx).maxRelativeError();
        double eg = GradientCheck.check(gp -> {
            layer.gamma(gp);
            return layer.forward(x, training).mul(upstream).sumNumber().doubleValue();
        }, gamma0, dgamma).maxRelativeError();
        layer.gamma(gamma0);
        double eb = GradientCheck.check(bp -> {
            layer.beta(bp);
            return layer.forward(x, training).mul(upstream).sumNumber().doubleValue();
        }, beta0, dbeta).maxRelativeError();
        assertTrue(ex < TOL && eg < TOL && eb < TOL, name + ": relative errors dx " + ex + ", dgamma " + eg
                + ", dbeta " + eb);
    }

    @Test
    void batchNormOverNHWInTrainingMode() {
        for (boolean plain : new boolean[] {false, true}) {
            Random rng = Nd4j.getRandomFactory().getNewRandomInstance(11);
            check(new BatchNorm(2).plain(plain), randn(rng, 3, 2, 2, 2).muli(2).addi(0.5), true, rng);
        }
    }

    @Test
    void batchNormOverNForFeatures() {
        for (boolean plain : new boolean[] {false, true}) {
            Random rng = Nd4j.getRandomFactory().getNewRandomInstance(12);
            check(new BatchNorm(3).plain(plain), randn(rng, 5, 3), true, rng);
        }
    }

    @Test
    void batchNormInEvalModeTreatsRunningStatisticsAsConstants() {
        for (boolean plain : new boolean[] {false, true}) {
            Random rng = Nd4j.getRandomFactory().getNewRandomInstance(13);
            BatchNorm bn = new BatchNorm(3).plain(plain);
            bn.forward(randn(rng, 8, 2, 2, 3).muli(3).addi(1), true); // move running stats away from 0 / 1
            check(bn, randn(rng, 2, 2, 2, 3), false, rng);
        }
    }

    @Test
    void layerNormOverFeatures() {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(14);
        check(new LayerNorm(5), randn(rng, 3, 5), true, rng);
    }

    @Test
    void layerNormOverHeightWidthChannel() {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(15);
        check(new LayerNorm(2, 2, 3), randn(rng, 2, 2, 2, 3), true, rng);
    }

    @Test
    void instanceNormOverHeightWidth() {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(16);
        check(new InstanceNorm(2), randn(rng, 2, 3, 3, 2).muli(1.5).subi(0.2), true, rng);
    }
}
