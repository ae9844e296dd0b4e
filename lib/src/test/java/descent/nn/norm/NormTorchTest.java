package descent.nn.norm;

import descent.testing.TorchVectors;

import static descent.testing.Close.assertClose;
import static descent.testing.TorchVectors.array;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * Forward, backward and running statistics against PyTorch 1.13 in float64
 * (vectors from tools/torch/regularize_vectors.py).
 */
class NormTorchTest {

    private static final JsonNode V = TorchVectors.load("/descent/nn/norm/norm_torch.json");
    /** Scaled tolerance: both sides compute the same double formulas, only summation order differs. */
    private static final double TOL = 1e-12;

    @Test
    void batchNorm2dTrainingStepsRunningStatsAndEvalMatchTorch() {
        checkBatchNorm(V.get("batchnorm2d"), "bn2d");
    }

    @Test
    void batchNorm1dWithOtherMomentumAndEpsMatchesTorch() {
        checkBatchNorm(V.get("batchnorm1d"), "bn1d");
    }

    private static void checkBatchNorm(JsonNode c, String tag) {
        INDArray gamma = array(c.get("gamma"));
        BatchNorm bn = new BatchNorm(gamma.length()).eps(c.get("eps").asDouble())
                .momentum(c.get("momentum").asDouble()).gamma(gamma).beta(array(c.get("beta")));
        int step = 0;
        for (JsonNode s : c.get("train")) {
            String at = tag + " train step " + step++;
            assertClose(array(s.get("y")), bn.forward(array(s.get("x"))), TOL, at + " y");
            assertClose(array(s.get("dx")), bn.backward(array(s.get("upstream"))), TOL, at + " dx");
            assertClose(array(s.get("dgamma")), bn.gradGamma(), TOL, at + " dgamma");
            assertClose(array(s.get("dbeta")), bn.gradBeta(), TOL, at + " dbeta");
            assertClose(array(s.get("running_mean")), bn.runningMean(), TOL, at + " running_mean");
            assertClose(array(s.get("running_var")), bn.runningVar(), TOL, at + " running_var (unbiased)");
        }
        assertEquals(c.get("train").size(), bn.batchesTracked());
        JsonNode e = c.get("eval");
        bn.eval();
        INDArray runningMeanBefore = bn.runningMean().dup();
        assertClose(array(e.get("y")), bn.forward(array(e.get("x"))), TOL, tag + " eval y");
        assertClose(array(e.get("dx")), bn.backward(array(e.get("upstream"))), TOL, tag + " eval dx");
        assertClose(array(e.get("dgamma")), bn.gradGamma(), TOL, tag + " eval dgamma");
        assertClose(array(e.get("dbeta")), bn.gradBeta(), TOL, tag + " eval dbeta");
        assertEquals(runningMeanBefore, bn.runningMean(), tag + " eval must not update running stats");
    }

    @Test
    void layerNormOverFeaturesMatchesTorch() {
        checkLayerNorm(V.get("layernorm2d"), "ln [N,F]");
    }

    @Test
    void layerNormOverChannelHeightWidthMatchesTorch() {
        checkLayerNorm(V.get("layernorm4d"), "ln [N,C,H,W]");
    }

    private static void checkLayerNorm(JsonNode c, String tag) {
        JsonNode ns = c.get("normalized_shape");
        long[] shape = new long[ns.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = ns.get(i).asLong();
        }
        LayerNorm ln = new LayerNorm(shape).eps(c.get("eps").asDouble())
                .gamma(array(c.get("gamma"))).beta(array(c.get("beta")));
        checkAffine(ln, c, tag);
    }

    @Test
    void instanceNormMatchesTorchInstanceNorm2dAffine() {
        JsonNode c = V.get("instancenorm2d");
        INDArray gamma = array(c.get("gamma"));
        InstanceNorm in = new InstanceNorm(gamma.length()).eps(c.get("eps").asDouble())
                .gamma(gamma).beta(array(c.get("beta")));
        checkAffine(in, c, "instance norm");
    }

    private static void checkAffine(NormLayer<?> layer, JsonNode c, String tag) {
        assertClose(array(c.get("y")), layer.forward(array(c.get("x"))), TOL, tag + " y");
        assertClose(array(c.get("dx")), layer.backward(array(c.get("upstream"))), TOL, tag + " dx");
        assertClose(array(c.get("dgamma")), layer.gradGamma(), TOL, tag + " dgamma");
        assertClose(array(c.get("dbeta")), layer.gradBeta(), TOL, tag + " dbeta");
    }
}
