package descent.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Values and gradients agree with PyTorch 1.13 autograd (float64) on the vectors of tools/torch/loss_vectors.py.
 */
class LossTorchVectorsTest {

    /**
     * Relative tolerance, per element: |ours - torch| &lt;= RTOL * |torch| (so a torch 0 must be an exact 0). The
     * issue asks for 1e-6; in float64 the largest observed difference is about 2e-10 (focal, p_t near 1).
     */
    static final double RTOL = 1e-9;

    static Stream<LossCases.Case> cases() {
        return LossCases.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void valueAndGradientMatchTorch(LossCases.Case c) {
        Loss loss = Losses.create(c.loss(), c.options());
        INDArray prediction = c.predictionArray();
        INDArray target = c.targetArray();

        double value = loss.value(prediction, target);
        assertTrue(Math.abs(value - c.value()) <= RTOL * Math.abs(c.value()),
                () -> c + ": value " + value + ", torch " + c.value());

        INDArray gradient = loss.gradient(prediction, target);
        assertEquals(Arrays.toString(prediction.shape()), Arrays.toString(gradient.shape()));
        double[] ours = gradient.dup('c').data().asDouble();
        for (int i = 0; i < ours.length; i++) {
            double torch = c.gradient()[i];
            int at = i;
            assertTrue(Math.abs(ours[i] - torch) <= RTOL * Math.abs(torch),
                    () -> c + ": gradient[" + at + "] " + ours[at] + ", torch " + torch);
        }
    }

    @Test
    void vectorsCoverEveryLossAndTheRequiredOptions() {
        assertEquals("1.13", LossCases.document().get("torch_version").asText().substring(0, 4));
        Set<String> covered = new HashSet<>();
        for (LossCases.Case c : LossCases.cases()) {
            covered.add(c.loss() + c.options());
        }
        for (String name : Losses.names()) {
            assertTrue(covered.contains(name + "{}"), "no default-options case for " + name);
        }
        for (String required : List.of("huber" + Map.of("delta", 0.5), "huber" + Map.of("delta", 2.0),
                "focal" + Map.of("gamma", 0.0), "focal" + Map.of("gamma", 0.5), "focal" + Map.of("gamma", 2.0),
                "cross_entropy" + Map.of("label_smoothing", 0.1), "cross_entropy" + Map.of("label_smoothing", 1.0))) {
            assertTrue(covered.contains(required), "no case for " + required);
        }
    }
}
