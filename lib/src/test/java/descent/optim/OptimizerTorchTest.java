package descent.optim;

import descent.testing.Close;
import descent.testing.TorchVectors;

import static descent.testing.TorchVectors.array;
import static descent.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * Every optimizer against torch.optim 1.13 (float64): 40-step trajectories recorded by
 * tools/torch/optim_vectors.py. The recorded gradients are fed as they are, so parameters must
 * agree after every step.
 */
class OptimizerTorchTest {

    private static final JsonNode VECTORS = TorchVectors.load("/descent/optim/optimizers.json");
    private static final double REL = 1e-9;
    // rounding floor for entries that pass near zero (observed differences: <= 3e-16)
    private static final double ABS = 1e-15;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (JsonNode c : VECTORS.get("cases")) {
            b.add(Arguments.of(c.get("name").asText(), options(c.get("options")), c));
        }
        return b.build();
    }

    static Map<String, Double> options(JsonNode o) {
        Map<String, Double> m = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asDouble()));
        return m;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void trajectoryEqualsTorch(String name, Map<String, Double> options, JsonNode c) {
        Optimizer opt = Optimizers.create(name, options);
        INDArray p = array(c.get("p0"));
        INDArray previous = p.dup();
        JsonNode grads = c.get("grads");
        JsonNode params = c.get("params");
        assertTrue(grads.size() >= 30, "at least 30 steps");
        for (int t = 0; t < grads.size(); t++) {
            INDArray g = array(grads.get(t));
            opt.step(p, g);
            INDArray expected = array(params.get(t));
            String what = name + options + " step " + t;
            assertClose(expected, p, REL, ABS, what + " params");
            // the update itself (p_t - p_{t-1}), relative to its own size
            INDArray expectedDelta = expected.sub(previous);
            INDArray delta = p.sub(previous);
            assertClose(expectedDelta, delta, REL, ABS, what + " update");
            previous = expected;
        }
    }

    /**
     * Torch 1.13's default NAdam code path (single-tensor, foreach=False) uses
     * {@code 1 - Pi*mu_t*mu_{t+1}} where its docstring, its foreach path and torch 2.x use
     * {@code 1 - Pi*mu_{t+1}}. Pinned here with a plain-Java copy of that path; descent's NAdam
     * follows the docstring (see NAdam's Javadoc) and so differs from these vectors.
     */
    @Test
    void torch113SingleTensorNAdamHasAnExtraMuFactor() {
        JsonNode quirk = VECTORS.get("nadam_single_tensor_1_13");
        assertEquals(2, quirk.size());
        for (JsonNode c : quirk) {
            Map<String, Double> o = options(c.get("options"));
            Map<String, Double> all = new LinkedHashMap<>(NAdam.DEFAULTS);
            all.putAll(o);
            double lr = all.get("lr");
            double b1 = all.get("beta1");
            double b2 = all.get("beta2");
            double eps = all.get("eps");
            double wd = all.get("weight_decay");
            double psi = all.get("momentum_decay");
            double[] p = array(c.get("p0")).data().asDouble();
            double[] m = new double[p.length];
            double[] v = new double[p.length];
            double muProduct = 1;
            Optimizer ours = Optimizers.create("nadam", o);
            INDArray q = array(c.get("p0"));
            double maxDiffFromOurs = 0;
            for (int t = 1; t <= c.get("grads").size(); t++) {
                double[] grad = array(c.get("grads").get(t - 1)).data().asDouble();
                double bc2 = 1 - Math.pow(b2, t);
                double mu = b1 * (1 - 0.5 * Math.pow(0.96, t * psi));
                double muNext = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * psi));
                muProduct *= mu;
                double muProductNext = muProduct * mu * muNext; // the extra mu
                for (int i = 0; i < p.length; i++) {
                    double g = grad[i] + wd * p[i];
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    v[i] = b2 * v[i] + (1 - b2) * g * g;
                    double denom = Math.sqrt(v[i] / bc2) + eps;
                    p[i] -= lr * (1 - mu) / (1 - muProduct) * g / denom;
                    p[i] -= lr * muNext / (1 - muProductNext) * m[i] / denom;
                }
                INDArray expected = array(c.get("params").get(t - 1));
                INDArray reference = org.nd4j.linalg.factory.Nd4j.create(p.clone(),
                        expected.shape(), expected.dataType());
                assertClose(expected, reference, REL, ABS, "torch 1.13 single-tensor nadam " + o
                        + " step " + t);
                ours.step(q, array(c.get("grads").get(t - 1)));
                maxDiffFromOurs = Math.max(maxDiffFromOurs,
                        q.sub(expected).amaxNumber().doubleValue());
            }
            assertTrue(maxDiffFromOurs > 1e-5, "descent's NAdam differs from the 1.13 default "
                    + "path: " + maxDiffFromOurs);
        }
    }

    @Test
    void everyRegisteredOptimizerHasDefaultAndNonDefaultTorchCases() {
        for (String name : Optimizers.names()) {
            int defaults = 0;
            int withWeightDecay = 0;
            for (JsonNode c : VECTORS.get("cases")) {
                if (c.get("name").asText().equals(name)) {
                    if (c.get("options").size() == 0) {
                        defaults++;
                    } else if (c.get("options").has("weight_decay")
                            && c.get("options").get("weight_decay").asDouble() != 0) {
                        withWeightDecay++;
                    }
                }
            }
            assertEquals(1, defaults, name + ": default-options case");
            assertEquals(1, withWeightDecay, name + ": non-default case with weight_decay");
        }
    }
}
