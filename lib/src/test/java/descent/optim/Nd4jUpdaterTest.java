package descent.optim;

import descent.testing.Close;
import descent.testing.TorchVectors;

import static descent.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's built-in updaters (1.0.0-M2.1) against descent's torch-equivalent rules. Where the
 * conventions agree the trajectories must match; where they differ, the test pins ND4J's exact
 * formula (a plain-Java reference, written out below) and shows that descent's rule differs.
 */
class Nd4jUpdaterTest {

    static final int STEPS = 40;
    static final double REL = 1e-9;
    static final double ABS = 1e-14;

    /** Fixed open-loop gradient for step t, element i (2x3): mixed signs and magnitudes. */
    static double gradAt(int t, int i) {
        return Math.cos(0.7 * t + 1.3 * i) * (1 + 0.5 * i) + 0.1 * (i - 2);
    }

    static INDArray grad(int t) {
        double[] g = new double[6];
        for (int i = 0; i < 6; i++) {
            g[i] = gradAt(t, i);
        }
        return Nd4j.create(g, new long[] {2, 3}, DataType.DOUBLE);
    }

    static INDArray p0() {
        return Nd4j.create(new double[] {1.5, -2.0, 0.5, 3.0, -0.25, -1.0}, new long[] {2, 3},
                DataType.DOUBLE);
    }

    /** Parameters after each of {@code steps} steps. */
    static List<INDArray> run(Optimizer opt, int steps) {
        INDArray p = p0();
        List<INDArray> out = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            opt.step(p, grad(t));
            out.add(p.dup());
        }
        return out;
    }

    static void assertSameTrajectory(List<INDArray> expected, List<INDArray> actual, String what) {
        assertEquals(expected.size(), actual.size());
        for (int t = 0; t < expected.size(); t++) {
            assertClose(expected.get(t), actual.get(t), REL, ABS, what + " step " + t);
        }
    }

    static double maxDiff(List<INDArray> a, List<INDArray> b) {
        double m = 0;
        for (int t = 0; t < a.size(); t++) {
            m = Math.max(m, a.get(t).sub(b.get(t)).amaxNumber().doubleValue());
        }
        return m;
    }

    /** A reference rule on plain doubles: per element, given state s (zeroed), returns u. */
    interface Rule {
        double update(int t, int i, double g, double[][] s);
    }

    /** Runs a plain-Java rule: p &lt;- p - u, elementwise. {@code t} is 1-based. */
    static List<INDArray> reference(int stateArrays, double init, Rule rule) {
        double[] p = p0().data().asDouble();
        double[][] s = new double[stateArrays][6];
        for (double[] row : s) {
            java.util.Arrays.fill(row, init);
        }
        List<INDArray> out = new ArrayList<>();
        for (int t = 1; t <= STEPS; t++) {
            for (int i = 0; i < 6; i++) {
                p[i] -= rule.update(t, i, gradAt(t - 1, i), s);
            }
            out.add(Nd4j.create(p.clone(), new long[] {2, 3}, DataType.DOUBLE));
        }
        return out;
    }

    // ---------------------------------------------------------------- same convention

    @Test
    void sgdMatches() {
        assertSameTrajectory(run(Optimizers.create("sgd", Map.of("lr", 0.05)), STEPS),
                run(Optimizers.nd4j("sgd", Map.of("lr", 0.05)), STEPS), "sgd");
    }

    @Test
    void nesterovMatchesTorchFormWhileLrIsConstant() {
        Map<String, Double> o = Map.of("lr", 0.05, "momentum", 0.9);
        assertSameTrajectory(run(Optimizers.create("nesterov", o), STEPS),
                run(Optimizers.nd4j("nesterov", o), STEPS), "nesterov");
    }

    @Test
    void adaDeltaMatchesTorchWithLrOne() {
        Map<String, Double> o = Map.of("rho", 0.9, "eps", 1e-6);
        assertSameTrajectory(run(Optimizers.create("adadelta", Map.of("lr", 1.0, "rho", 0.9,
                "eps", 1e-6)), STEPS), run(Optimizers.nd4j("adadelta", o), STEPS), "adadelta");
    }

    @Test
    void adaDeltaHasNoLearningRate() {
        Optimizer nd4j = Optimizers.nd4j("adadelta");
        assertEquals(1.0, nd4j.lr());
        assertThrows(UnsupportedOperationException.class, () -> nd4j.setLr(0.5));
        assertThrows(IllegalArgumentException.class,
                () -> Optimizers.nd4j("adadelta", Map.of("lr", 1.0)));
    }

    // ---------------------------------------------------------------- pinned differences

    @Test
    void nesterovCarriesOldLrInItsVelocityAfterAnLrChange() {
        // ND4J: v <- mu*v - lr*g;  u = mu*v_prev - (1+mu)*v;  p <- p - u   (lr inside v)
        double mu = 0.9;
        Optimizer nd4j = Optimizers.nd4j("nesterov", Map.of("lr", 0.05, "momentum", mu));
        Optimizer ours = Optimizers.create("nesterov", Map.of("lr", 0.05, "momentum", mu));
        INDArray pn = p0();
        INDArray po = p0();
        List<INDArray> nd4jTrajectory = new ArrayList<>();
        List<INDArray> ourTrajectory = new ArrayList<>();
        for (int t = 0; t < STEPS; t++) {
            if (t == STEPS / 2) {
                nd4j.setLr(0.005);
                ours.setLr(0.005);
            }
            nd4j.step(pn, grad(t));
            ours.step(po, grad(t));
            nd4jTrajectory.add(pn.dup());
            ourTrajectory.add(po.dup());
        }
        List<INDArray> expected = reference(1, 0.0, (t, i, g, s) -> {
            double lr = t <= STEPS / 2 ? 0.05 : 0.005;
            double vPrev = s[0][i];
            s[0][i] = mu * vPrev - lr * g;
            return mu * vPrev - (1 + mu) * s[0][i];
        });
        assertSameTrajectory(expected, nd4jTrajectory, "nd4j nesterov, lr changed");
        // identical before the change, different after it
        assertSameTrajectory(ourTrajectory.subList(0, STEPS / 2),
                nd4jTrajectory.subList(0, STEPS / 2), "before the lr change");
        assertTrue(maxDiff(ourTrajectory, nd4jTrajectory) > 1e-3,
                "after an lr change the two formulations part");
    }

    @Test
    void adaGradStartsItsAccumulatorAtOneMillionth() {
        // ND4J: s_0 = 1e-6 (AdaGradUpdater's own field, whatever the config's eps);
        // s <- s + g^2; u = lr*g/(sqrt(s) + eps)  == torch with initial_accumulator_value = 1e-6
        double eps = 0.1;
        List<INDArray> nd4j = run(Optimizers.nd4j("adagrad", Map.of("lr", 0.1, "eps", eps)), STEPS);
        assertSameTrajectory(run(Optimizers.create("adagrad", Map.of("lr", 0.1, "eps", eps,
                "initial_accumulator_value", 1e-6)), STEPS), nd4j, "adagrad, acc starts at 1e-6");
        // hand check of step 1, element 0: p0 = 1.5, g = cos(0) - 0.2 = 0.8,
        // p1 = 1.5 - 0.1 * 0.8 / (sqrt(1e-6 + 0.64) + 0.1)
        assertEquals(1.5 - 0.1 * 0.8 / (Math.sqrt(1e-6 + 0.64) + 0.1), nd4j.get(0).getDouble(0),
                1e-15);
        assertTrue(maxDiff(run(Optimizers.create("adagrad", Map.of("lr", 0.1, "eps", eps,
                "initial_accumulator_value", eps)), STEPS), nd4j) > 1e-3,
                "the accumulator does not start at the config's eps");
    }

    @Test
    void rmsPropStartsItsAverageAtEps() {
        // ND4J: v_0 = eps; v <- a*v + (1-a)*g^2; u = lr*g/(sqrt(v) + eps); torch starts v at 0
        double lr = 0.01;
        double a = 0.9;
        for (double eps : new double[] {1e-8, 1e-2}) {
            List<INDArray> nd4j = run(Optimizers.nd4j("rmsprop",
                    Map.of("lr", lr, "alpha", a, "eps", eps)), STEPS);
            List<INDArray> expected = reference(1, eps, (t, i, g, s) -> {
                s[0][i] = a * s[0][i] + (1 - a) * g * g;
                return lr * g / (Math.sqrt(s[0][i]) + eps);
            });
            assertSameTrajectory(expected, nd4j, "nd4j rmsprop eps=" + eps);
            List<INDArray> ours = run(Optimizers.create("rmsprop",
                    Map.of("lr", lr, "alpha", a, "eps", eps)), STEPS);
            if (eps == 1e-2) {
                assertTrue(maxDiff(ours, nd4j) > 1e-4, "v_0 = eps vs 0 is visible for eps 1e-2");
            }
        }
        // with eps = 0 both start at 0 and agree
        Map<String, Double> zero = Map.of("lr", lr, "alpha", a, "eps", 0.0);
        assertSameTrajectory(run(Optimizers.create("rmsprop", zero), STEPS),
                run(Optimizers.nd4j("rmsprop", zero), STEPS), "rmsprop eps = 0");
    }

    @Test
    void adamAddsEpsBeforeBiasCorrection() {
        // ND4J: u = lr*sqrt(1-b2^t)/(1-b1^t) * m/(sqrt(v) + eps)
        // torch: u = lr/(1-b1^t) * m/(sqrt(v)/sqrt(1-b2^t) + eps)
        double lr = 0.05;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-3;
        Map<String, Double> o = Map.of("lr", lr, "beta1", b1, "beta2", b2, "eps", eps);
        List<INDArray> nd4j = run(Optimizers.nd4j("adam", o), STEPS);
        List<INDArray> expected = reference(2, 0.0, (t, i, g, s) -> {
            s[0][i] = b1 * s[0][i] + (1 - b1) * g;
            s[1][i] = b2 * s[1][i] + (1 - b2) * g * g;
            double alphaT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            return alphaT * s[0][i] / (Math.sqrt(s[1][i]) + eps);
        });
        assertSameTrajectory(expected, nd4j, "nd4j adam");
        assertTrue(maxDiff(run(Optimizers.create("adam", o), STEPS), nd4j) > 1e-3,
                "torch's eps placement differs");
        // Equivalently ND4J = torch with eps_t = eps/sqrt(1-b2^t); at t = 1 that is one step of
        // descent's Adam with eps/sqrt(1-b2):
        INDArray pn = p0();
        Optimizers.nd4j("adam", o).step(pn, grad(0));
        INDArray po = p0();
        Optimizers.create("adam", Map.of("lr", lr, "beta1", b1, "beta2", b2,
                "eps", eps / Math.sqrt(1 - b2))).step(po, grad(0));
        assertClose(po, pn, REL, ABS, "adam step 1 with eps/sqrt(1-b2)");
        // and with eps = 0 the two conventions coincide (ND4J M2.1 does not replace eps = 0)
        Map<String, Double> zero = Map.of("lr", lr, "beta1", b1, "beta2", b2, "eps", 0.0);
        assertSameTrajectory(run(Optimizers.create("adam", zero), STEPS),
                run(Optimizers.nd4j("adam", zero), STEPS), "adam eps = 0");
    }

    @Test
    void amsGradAddsEpsBeforeBiasCorrection() {
        double lr = 0.05;
        double b1 = 0.8;
        double b2 = 0.9;
        double eps = 1e-3;
        Map<String, Double> o = Map.of("lr", lr, "beta1", b1, "beta2", b2, "eps", eps);
        List<INDArray> nd4j = run(Optimizers.nd4j("amsgrad", o), STEPS);
        List<INDArray> expected = reference(3, 0.0, (t, i, g, s) -> {
            s[0][i] = b1 * s[0][i] + (1 - b1) * g;
            s[1][i] = b2 * s[1][i] + (1 - b2) * g * g;
            s[2][i] = Math.max(s[2][i], s[1][i]);
            double alphaT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            return alphaT * s[0][i] / (Math.sqrt(s[2][i]) + eps);
        });
        assertSameTrajectory(expected, nd4j, "nd4j amsgrad");
        assertTrue(maxDiff(run(Optimizers.create("amsgrad", o), STEPS), nd4j) > 1e-4,
                "torch's eps placement differs");
        // with eps -> 0 the conventions meet: same max-of-v rule
        Map<String, Double> tiny = Map.of("lr", lr, "beta1", b1, "beta2", b2, "eps", 1e-300);
        assertSameTrajectory(run(Optimizers.create("amsgrad", tiny), STEPS),
                run(Optimizers.nd4j("amsgrad", tiny), STEPS), "amsgrad eps ~ 0");
    }

    @Test
    void adaMaxIgnoresEps() {
        // ND4J: u <- max(b2*u, |g|) + 1e-32 (no eps); step lr/(1-b1^t) * m/u
        // torch: u <- max(b2*u, |g| + eps)   => ND4J == torch with eps = 0
        Map<String, Double> nd4jOptions = Map.of("lr", 0.05, "beta1", 0.9, "beta2", 0.99,
                "eps", 0.5);
        List<INDArray> nd4j = run(Optimizers.nd4j("adamax", nd4jOptions), STEPS);
        assertSameTrajectory(run(Optimizers.create("adamax", Map.of("lr", 0.05, "beta1", 0.9,
                "beta2", 0.99, "eps", 0.0)), STEPS), nd4j, "adamax: nd4j(eps=0.5) == torch(eps=0)");
        assertTrue(maxDiff(run(Optimizers.create("adamax", nd4jOptions), STEPS), nd4j) > 1e-3,
                "torch with eps=0.5 differs");
    }

    @Test
    void nadamIsTheSimplifiedDozatRule() {
        // ND4J: m <- b1*m + (1-b1)*g;  v <- b2*v + (1-b2)*g^2
        //       u = lr * (b1*m + (1-b1)*g)/(1-b1^t) / (sqrt(v) + eps)
        // no momentum schedule (mu = b1) and no bias correction of v
        double lr = 0.05;
        double b1 = 0.9;
        double b2 = 0.99;
        double eps = 1e-8;
        Map<String, Double> o = Map.of("lr", lr, "beta1", b1, "beta2", b2, "eps", eps);
        List<INDArray> nd4j = run(Optimizers.nd4j("nadam", o), STEPS);
        List<INDArray> expected = reference(2, 0.0, (t, i, g, s) -> {
            s[0][i] = b1 * s[0][i] + (1 - b1) * g;
            s[1][i] = b2 * s[1][i] + (1 - b2) * g * g;
            double mHat = (b1 * s[0][i] + (1 - b1) * g) / (1 - Math.pow(b1, t));
            return lr * mHat / (Math.sqrt(s[1][i]) + eps);
        });
        assertSameTrajectory(expected, nd4j, "nd4j nadam");
        assertTrue(maxDiff(run(Optimizers.create("nadam", o), STEPS), nd4j) > 1e-2,
                "torch NAdam differs");
    }

    // ---------------------------------------------------------------- adapter plumbing

    @Test
    void defaultsAreNd4jsOwn() {
        assertEquals(Map.of("lr", 1e-3), Optimizers.nd4j("sgd").options());
        assertEquals(Map.of("lr", 0.1, "momentum", 0.9), Optimizers.nd4j("nesterov").options());
        assertEquals(Map.of("lr", 0.1, "eps", 1e-6), Optimizers.nd4j("adagrad").options());
        assertEquals(Map.of("lr", 0.1, "alpha", 0.95, "eps", 1e-8),
                Optimizers.nd4j("rmsprop").options());
        assertEquals(Map.of("rho", 0.95, "eps", 1e-6), Optimizers.nd4j("adadelta").options());
        for (String n : List.of("adam", "amsgrad", "adamax", "nadam")) {
            assertEquals(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8),
                    Optimizers.nd4j(n).options(), n);
        }
        assertEquals(List.of("sgd", "nesterov", "adagrad", "rmsprop", "adadelta", "adam",
                "amsgrad", "adamax", "nadam"), Optimizers.nd4jNames());
    }

    @Test
    void wrapsAnyIUpdaterAndKeepsStatePerArray() {
        Nd4jUpdater shared = new Nd4jUpdater(
                new org.nd4j.linalg.learning.config.Adam(0.05, 0.9, 0.999, 1e-8));
        Optimizer aloneA = Optimizers.nd4j("adam", Map.of("lr", 0.05));
        Optimizer aloneB = Optimizers.nd4j("adam", Map.of("lr", 0.05));
        INDArray a = p0();
        INDArray b = p0().mul(-2);
        INDArray a2 = a.dup();
        INDArray b2 = b.dup();
        for (int t = 0; t < 10; t++) {
            shared.step(a, grad(t));
            shared.step(b, grad(t + 5).mul(3));
            aloneA.step(a2, grad(t));
            aloneB.step(b2, grad(t + 5).mul(3));
        }
        assertEquals(a2, a);
        assertEquals(b2, b);
        assertEquals(0.05, shared.lr());
        shared.setLr(0.01);
        assertEquals(0.01, shared.lr());
        assertThrows(IllegalArgumentException.class, () -> shared.setLr(-1));
    }

    @Test
    void stepsAColumnOrderArrayAndLeavesTheGradientAlone() {
        INDArray p = p0().dup('f');
        INDArray pc = p0();
        INDArray g = grad(0);
        INDArray gCopy = g.dup();
        Optimizers.nd4j("adam", Map.of("lr", 0.1)).step(p, g);
        Optimizers.nd4j("adam", Map.of("lr", 0.1)).step(pc, g);
        assertEquals(gCopy, g);
        assertEquals(pc, p);
    }

    @Test
    void rejectsBadNamesAndOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.nd4j("adamw"));
        assertTrue(e.getMessage().contains("adamw") && e.getMessage().contains("nadam"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.nd4j("adam", Map.of("weight_decay", 0.1)));
        assertTrue(e.getMessage().contains("weight_decay") && e.getMessage().contains("beta2"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Optimizers.nd4j("adam", Map.of("beta1", 1.0)));
        assertThrows(IllegalArgumentException.class,
                () -> Optimizers.nd4j("sgd").step(p0(), Nd4j.zeros(DataType.DOUBLE, 3, 2)));
    }
}
