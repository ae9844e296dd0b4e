package descent.regularize;

import descent.check.GradientCheck;
import descent.testing.TorchVectors;

import static descent.testing.Close.assertClose;
import static descent.testing.TorchVectors.array;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;

/** L1/L2 penalties and decoupled weight decay against hand arithmetic, finite differences and torch. */
class PenaltyTest {

    private static final JsonNode T = TorchVectors.load("/descent/regularize/penalty_torch.json").get("penalty");

    private static INDArray vec(double... v) {
        return Nd4j.createFromArray(v);
    }

    @Test
    void l2ValueIsHalfLambdaTimesSquaredNormAndGradientIsLambdaW() {
        // w = [3, 4]: ||w||^2 = 9 + 16 = 25; lambda = 0.1 -> value = 0.1 / 2 * 25 = 1.25, gradient = [0.3, 0.4]
        L2Penalty l2 = new L2Penalty(0.1);
        assertEquals(1.25, l2.value(vec(3, 4)), 1e-15);
        assertClose(vec(0.3, 0.4), l2.gradient(vec(3, 4)), 1e-15, "L2 gradient");
    }

    @Test
    void l1ValueIsLambdaTimesAbsoluteSumAndGradientIsLambdaSignWithSignOfZeroZero() {
        // w = [3, -4, 0]: sum |w| = 7; lambda = 0.1 -> value = 0.7, gradient = [0.1, -0.1, 0]
        L1Penalty l1 = new L1Penalty(0.1);
        assertEquals(0.7, l1.value(vec(3, -4, 0)), 1e-15);
        assertClose(vec(0.1, -0.1, 0), l1.gradient(vec(3, -4, 0)), 0, "L1 gradient");
    }

    @Test
    void penaltiesMatchTorchAutogradIncludingZeros() {
        double lambda = T.get("lambda").asDouble();
        INDArray w = array(T.get("w"));
        assertEquals(T.get("l1_value").asDouble(), new L1Penalty(lambda).value(w), 1e-14);
        assertClose(array(T.get("l1_grad")), new L1Penalty(lambda).gradient(w), 1e-15, "L1 grad vs torch");
        assertEquals(T.get("l2_value").asDouble(), new L2Penalty(lambda).value(w), 1e-14);
        assertClose(array(T.get("l2_grad")), new L2Penalty(lambda).gradient(w), 1e-15, "L2 grad vs torch");
    }

    @Test
    void sgdStepWithL2GradientEqualsTorchSgdWeightDecay() {
        double lambda = T.get("lambda").asDouble();
        double lr = T.get("lr").asDouble();
        INDArray w = array(T.get("w"));
        INDArray grad = array(T.get("grad"));
        new L2Penalty(lambda).addGradientTo(grad, w);           // grad + lambda * w
        INDArray stepped = w.sub(grad.mul(lr));                  // w - lr * (grad + lambda * w)
        assertClose(array(T.get("sgd_weight_decay_step")), stepped, 1e-15, "SGD weight_decay step");
    }

    @Test
    void decoupledDecayEqualsTorchAdamWWithZeroGradient() {
        // AdamW with g = 0: Adam's step is 0 / (sqrt(0) + eps) = 0, leaving w * (1 - lr * lambda)
        INDArray w = array(T.get("w"));
        INDArray result = new DecoupledWeightDecay(T.get("lambda").asDouble()).apply(w, T.get("lr").asDouble());
        assertSame(w, result, "decay is in place");
        assertClose(array(T.get("adamw_zero_grad_step")), w, 1e-15, "AdamW decoupled decay");
    }

    @Test
    void withPlainSgdCoupledL2AndDecoupledDecayGiveTheSameStep() {
        // w - lr * (g + lambda * w)  ==  (w * (1 - lr * lambda)) - lr * g
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(3);
        INDArray w = Nd4j.randn(rng, 4, 3).castTo(DataType.DOUBLE);
        INDArray g = Nd4j.randn(rng, 4, 3).castTo(DataType.DOUBLE);
        double lr = 0.05, lambda = 0.2;
        INDArray coupled = w.sub(new L2Penalty(lambda).addGradientTo(g.dup(), w).mul(lr));
        INDArray decoupled = new DecoupledWeightDecay(lambda).apply(w.dup(), lr).subi(g.mul(lr));
        assertClose(coupled, decoupled, 1e-15, "SGD: coupled vs decoupled");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        // L1 is differentiable away from 0; the random weights below are bounded away from it
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(4);
        INDArray w = Nd4j.randn(rng, 3, 5).castTo(DataType.DOUBLE);
        INDArray signs = org.nd4j.linalg.ops.transforms.Transforms.sign(w, true);
        w.addi(signs.mul(0.1)); // |w_i| >= 0.1 >> h
        for (Penalty penalty : new Penalty[] {new L1Penalty(0.3), new L2Penalty(0.7)}) {
            INDArray fd = GradientCheck.numericGradient(penalty::value, w, 1e-6);
            assertClose(fd, penalty.gradient(w), 1e-8, penalty + " gradient vs finite differences");
        }
    }

    @Test
    void overSeveralTensorsValuesAddAndTotalIsLossPlusPenalty() {
        Map<String, INDArray> weights = new LinkedHashMap<>();
        weights.put("W1", vec(1, -2));   // 1 + 4 = 5
        weights.put("W2", vec(3));       // 9
        L2Penalty l2 = new L2Penalty(0.5);
        assertEquals(0.5 / 2 * 14, l2.value(weights), 1e-15);
        assertEquals(2.0 + 3.5, l2.total(2.0, weights), 1e-15);

        Map<String, INDArray> grads = new LinkedHashMap<>();
        grads.put("W1", vec(1, 1));
        grads.put("W2", vec(1));
        l2.addGradientTo(grads, weights);
        assertClose(vec(1.5, 0.0), grads.get("W1"), 1e-15, "W1 grad");   // 1 + 0.5 * [1, -2]
        assertClose(vec(2.5), grads.get("W2"), 1e-15, "W2 grad");        // 1 + 0.5 * 3
        assertEquals(weights.keySet(), l2.gradient(weights).keySet());
    }

    @Test
    void decoupledDecayOverAMapShrinksEveryTensor() {
        Map<String, INDArray> weights = new LinkedHashMap<>();
        weights.put("a", vec(2, -4));
        weights.put("b", vec(10));
        new DecoupledWeightDecay(0.5).apply(weights, 0.1); // factor 1 - 0.1 * 0.5 = 0.95
        assertClose(vec(1.9, -3.8), weights.get("a"), 1e-15, "a");
        assertClose(vec(9.5), weights.get("b"), 1e-15, "b");
    }
}
