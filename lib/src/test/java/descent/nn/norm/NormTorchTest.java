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
 * (vectors from tools/torch/regularize_vectors.py). torch's arrays are channels first ({@code [N, C, H, W]},
 * {@code [N, C, L]}); ours are channels last, so every data array is permuted ({@link #last}) before comparing.
 * BatchNorm is checked on both computations (the fast path and {@code plain(true)}).
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

    /** A torch array, channels moved last: [N, C, H, W] to [N, H, W, C], [N, C, L] to [N, L, C]. */
    private static INDArray last(JsonNode node) {
        INDArray a = array(node);
        return switch (a.rank()) {
            case 4 -> a.permute(0, 2, 3, 1).dup('c');
            case 3 -> a.permute(0, 2, 1).dup('c');
            default -> a;
        };
    }

    private static void checkBatchNorm(JsonNode c, String tag) {
        checkBatchNorm(c, tag, false);
        checkBatchNorm(c, tag + " plain", true);
    }

    private static void checkBatchNorm(JsonNode c, String tag, boolean plain) {
        INDArray gamma = array(c.get("gamma"));
        BatchNorm bn = new BatchNorm((int) gamma.length()).plain(plain).eps(c.get("eps").asDouble())
                .momentum(c.get("momentum").asDouble()).gamma(gamma).beta(array(c.get("beta")));
        int step = 0;
        for (JsonNode s : c.get("train")) {
            String at = tag + " train step " + step++;
            assertClose(last(s.get("y")), bn.forward(last(s.get("x")), true), TOL, at + " y");
            assertClose(last(s.get("dx")), bn.backward(last(s.get("upstream"))), TOL, at + " dx");
            assertClose(array(s.get("dgamma")), bn.gradGamma(), TOL, at + " dgamma");
            assertClose(array(s.get("dbeta")), bn.gradBeta(), TOL, at + " dbeta");
            assertClose(array(s.get("running_mean")), bn.runningMean(), TOL, at + " running_mean");
            assertClose(array(s.get("running_var")), bn.runningVar(), TOL, at + " running_var (unbiased)");
        }
        assertEquals(c.get("train").size(), bn.batchesTracked());
        JsonNode e = c.get("eval");
        INDArray runningMeanBefore = bn.runningMean().dup();
        assertClose(last(e.get("y")), bn.forward(last(e.get("x")), false), TOL, tag + " eval y");
        assertClose(last(e.get("dx")), bn.backward(last(e.get("upstream"))), TOL, tag + " eval dx");
        assertClose(array(e.get("dgamma")), bn.gradGamma(), TOL, tag + " eval dgamma");
        assertClose(array(e.get("dbeta")), bn.gradBeta(), TOL, tag + " eval dbeta");
        assertEquals(runningMeanBefore, bn.runningMean(), tag + " eval must not update running stats");
    }

    @Test
    void layerNormOverFeaturesMatchesTorch() {
        checkLayerNorm(V.get("layernorm2d"), "ln [N,F]");
    }

    @Test
    void layerNormOverHeightWidthChannelMatchesTorch() {
        checkLayerNorm(V.get("layernorm4d"), "ln [N,H,W,C]");
    }

    private static void checkLayerNorm(JsonNode c, String tag) {
        JsonNode ns = c.get("normalized_shape");
        long[] shape = new long[ns.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = ns.get(i).asLong();
        }
        INDArray gamma = array(c.get("gamma"));
        INDArray beta = array(c.get("beta"));
        if (shape.length == 3) {     // torch's [C, H, W] gamma and beta: channels last too
            shape = new long[] {shape[1], shape[2], shape[0]};
            gamma = gamma.permute(1, 2, 0).dup('c');
            beta = beta.permute(1, 2, 0).dup('c');
        }
        LayerNorm ln = new LayerNorm(shape).eps(c.get("eps").asDouble()).gamma(gamma).beta(beta);
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
        assertClose(last(c.get("y")), layer.forward(last(c.get("x")), true), TOL, tag + " y");
        assertClose(last(c.get("dx")), layer.backward(last(c.get("upstream"))), TOL, tag + " dx");
        INDArray dgamma = array(c.get("dgamma"));
        INDArray dbeta = array(c.get("dbeta"));
        if (dgamma.rank() == 3) {
            dgamma = dgamma.permute(1, 2, 0).dup('c');
            dbeta = dbeta.permute(1, 2, 0).dup('c');
        }
        assertClose(dgamma, layer.gradGamma(), TOL, tag + " dgamma");
        assertClose(dbeta, layer.gradBeta(), TOL, tag + " dbeta");
    }
}
