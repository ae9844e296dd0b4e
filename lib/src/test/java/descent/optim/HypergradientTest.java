package descent.optim;

import static descent.optim.BadInputTest.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.data.Dataset;
import descent.data.Synthetic;
import descent.nn.Linear;
import descent.nn.ReLU;
import descent.nn.Sequential;
import descent.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SGD-HD and Adam-HD against the paper's rules written out plainly on double[] (Baydin et al. 2018, Algorithms 1 and
 * 4), on the quadratic f(theta) = 1/2 sum a_i theta_i^2, whose gradient is a_i theta_i.
 */
class HypergradientTest {

    @TempDir
    Path tmp;

    static final double[] A = {1, 4, 0.5, 2};
    static final double[] THETA0 = {1, -2, 3, 0.5};

    static double[] gradient(double[] theta, double weightDecay) {
        double[] g = new double[theta.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = A[i] * theta[i] + weightDecay * theta[i];
        }
        return g;
    }

    static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /** SGD-HD, Algorithm 1: alpha_t = alpha_{t-1} + beta g_t . g_{t-1}; theta_t = theta_{t-1} - alpha_t g_t. */
    static double[][] sgdHdReference(double alpha, double beta, double wd, int steps) {
        double[] theta = THETA0.clone();
        double[] gPrev = new double[theta.length];     // grad f(theta_{-1}) = 0: no change at the first step
        double[][] out = new double[steps][];
        for (int t = 0; t < steps; t++) {
            double[] g = gradient(theta, 0);
            for (int i = 0; i < g.length; i++) {
                g[i] += wd * theta[i];
            }
            alpha = Math.max(0, alpha + beta * dot(g, gPrev));
            for (int i = 0; i < theta.length; i++) {
                theta[i] -= alpha * g[i];
            }
            gPrev = g;
            out[t] = append(theta, alpha);
        }
        return out;
    }

    /**
     * Adam-HD, Algorithm 4, with the signs of the paper: u_t = -alpha_t m^_t / (sqrt(v^_t) + eps) is the update,
     * h_t = g_t . d u_{t-1} / d alpha_{t-1} = g_t . (-m^_{t-1} / (sqrt(v^_{t-1}) + eps)), alpha_t = alpha_{t-1} -
     * beta h_t.
     */
    static double[][] adamHdReference(double alpha, double beta, double b1, double b2, double eps, int steps) {
        double[] theta = THETA0.clone();
        int n = theta.length;
        double[] m = new double[n];
        double[] v = new double[n];
        double[] duPrevDAlpha = new double[n];     // 0 before the first step
        double[][] out = new double[steps][];
        for (int t = 1; t <= steps; t++) {
            double[] g = gradient(theta, 0);
            double h = dot(g, duPrevDAlpha);
            alpha = Math.max(0, alpha - beta * h);
            for (int i = 0; i < n; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                duPrevDAlpha[i] = -mHat / (Math.sqrt(vHat) + eps);
                theta[i] += alpha * duPrevDAlpha[i];
            }
            out[t - 1] = append(theta, alpha);
        }
        return out;
    }

    static double[] append(double[] theta, double alpha) {
        double[] r = new double[theta.length + 1];
        System.arraycopy(theta, 0, r, 0, theta.length);
        r[theta.length] = alpha;
        return r;
    }

    /** Runs {@code opt} on the quadratic as one array: theta and the lr after each step. */
    static double[][] run(Optimizer opt, int steps) {
        INDArray theta = Nd4j.createFromArray(THETA0.clone());
        double[][] out = new double[steps][];
        for (int t = 0; t < steps; t++) {
            opt.step(theta, Nd4j.createFromArray(gradient(theta.toDoubleVector(), 0)));
            out[t] = append(theta.toDoubleVector(), opt.lr());
        }
        return out;
    }

    static void assertTrajectory(double[][] expected, double[][] actual, String what) {
        for (int t = 0; t < expected.length; t++) {
            for (int i = 0; i < expected[t].length; i++) {
                assertEquals(expected[t][i], actual[t][i], 1e-12 * (1 + Math.abs(expected[t][i])),
                        what + ", step " + (t + 1) + (i == THETA0.length ? ", lr" : ", theta " + i));
            }
        }
    }

    @Test
    void sgdHdFollowsThePapersRule() {
        for (double[] ab : new double[][] {{0.05, 0.002}, {0.3, 0.002}}) {
            double[][] expected = sgdHdReference(ab[0], ab[1], 0, 40);
            double[][] actual = run(Optimizers.create("sgd_hd", Map.of("lr", ab[0], "hypergrad_lr", ab[1])), 40);
            assertTrajectory(expected, actual, "sgd_hd lr0 " + ab[0] + " beta " + ab[1]);
        }
    }

    @Test
    void sgdHdWithWeightDecayAddsItToTheGradientFirst() {
        double wd = 0.3;
        double[][] expected = sgdHdReference(0.05, 0.002, wd, 30);
        double[][] actual = run(new SgdHd(Map.of("lr", 0.05, "hypergrad_lr", 0.002, "weight_decay", wd)), 30);
        assertTrajectory(expected, actual, "sgd_hd with weight decay");
    }

    @Test
    void adamHdFollowsThePapersRule() {
        for (double[] ab : new double[][] {{0.01, 1e-3}, {0.3, 1e-2}}) {
            double[][] expected = adamHdReference(ab[0], ab[1], 0.9, 0.999, 1e-8, 60);
            double[][] actual = run(Optimizers.create("adam_hd", Map.of("lr", ab[0], "hypergrad_lr", ab[1])), 60);
            assertTrajectory(expected, actual, "adam_hd lr0 " + ab[0] + " beta " + ab[1]);
        }
    }

    @Test
    void oneLearningRateForAllArraysOfAStep() {
        // the quadratic split into two arrays of two, stepped together, is the one-array run
        Optimizer[] opts = {new SgdHd(Map.of("lr", 0.05, "hypergrad_lr", 0.002)),
            new AdamHd(Map.of("lr", 0.01, "hypergrad_lr", 1e-3))};
        double[][][] refs = {sgdHdReference(0.05, 0.002, 0, 25), adamHdReference(0.01, 1e-3, 0.9, 0.999, 1e-8, 25)};
        for (int k = 0; k < opts.length; k++) {
            INDArray first = Nd4j.createFromArray(THETA0[0], THETA0[1]);
            INDArray second = Nd4j.createFromArray(THETA0[2], THETA0[3]).reshape(2, 1);
            double[][] actual = new double[25][];
            for (int t = 0; t < 25; t++) {
                double[] theta = {first.getDouble(0), first.getDouble(1), second.getDouble(0), second.getDouble(1)};
                double[] g = gradient(theta, 0);
                opts[k].step(List.of(first, second), List.of(Nd4j.createFromArray(g[0], g[1]),
                        Nd4j.createFromArray(g[2], g[3]).reshape(2, 1)));
                actual[t] = append(new double[] {first.getDouble(0), first.getDouble(1), second.getDouble(0),
                    second.getDouble(1)}, opts[k].lr());
            }
            assertTrajectory(refs[k], actual, opts[k].name() + " on two arrays");
        }
    }

    @Test
    void theLearningRateRisesWhenStepsAgreeAndFallsWhenTheyOscillate() {
        // lr0 = 0.01 is far too small on this quadratic (the gradients keep their signs); for SGD 0.6 is too large
        // (a = 4 and 2 make lr a > 1: those coordinates flip sign at every step), for Adam, whose steps are about lr
        // long whatever the gradient, 3 is (|theta| <= 3)
        Object[][] cases = {{"sgd_hd", 1e-3, 0.6}, {"adam_hd", 1e-2, 3.0}};
        for (Object[] c : cases) {
            String name = (String) c[0];
            double beta = (Double) c[1];
            double large0 = (Double) c[2];
            double small = run(Optimizers.create(name, Map.of("lr", 0.01, "hypergrad_lr", beta)), 15)[14][THETA0.length];
            double large = run(Optimizers.create(name, Map.of("lr", large0, "hypergrad_lr", beta)), 15)[14][THETA0.length];
            System.out.printf("%s (hypergrad_lr %.0e): lr 0.01 -> %.4f, lr %.1f -> %.4f after 15 steps%n", name, beta,
                    small, large0, large);
            assertTrue(small > 0.05, name + ": too small an lr grows, got " + small);
            assertTrue(large < 0.97 * large0, name + ": too large an lr shrinks, got " + large);
        }
        // and it is a real improvement: after 15 steps sgd_hd from lr 0.01 is closer to the minimum than sgd
        double[][] hd = run(Optimizers.create("sgd_hd", Map.of("lr", 0.01, "hypergrad_lr", 1e-3)), 15);
        double[][] sgd = run(Optimizers.create("sgd", Map.of("lr", 0.01)), 15);
        assertTrue(norm(hd[14]) < 0.5 * norm(sgd[14]), norm(hd[14]) + " vs " + norm(sgd[14]));
    }

    static double norm(double[] thetaAndLr) {
        double s = 0;
        for (int i = 0; i < THETA0.length; i++) {
            s += thetaAndLr[i] * thetaAndLr[i];
        }
        return Math.sqrt(s);
    }

    @Test
    void theLearningRateStopsAtZero() {
        // a huge beta on an oscillating start drives lr + beta h far below 0: it stays at 0, a valid lr
        SgdHd opt = new SgdHd(Map.of("lr", 0.6, "hypergrad_lr", 100.0));
        double[][] r = run(opt, 3);
        assertEquals(0.0, r[1][THETA0.length]);
        assertEquals(r[0][1], r[1][1], 0.0, "lr 0: no move");
    }

    @Test
    void zeroHypergradLrIsThePlainRuleBitForBit() {
        Optimizer[][] pairs = {
            {Optimizers.create("sgd_hd", Map.of("lr", 0.05, "hypergrad_lr", 0.0, "weight_decay", 0.1)),
                Optimizers.create("sgd", Map.of("lr", 0.05, "weight_decay", 0.1))},
            {Optimizers.create("adam_hd", Map.of("lr", 0.05, "hypergrad_lr", 0.0, "weight_decay", 0.1)),
                Optimizers.create("adam", Map.of("lr", 0.05, "weight_decay", 0.1))}};
        for (Optimizer[] p : pairs) {
            double[][] a = run(p[0], 20);
            double[][] b = run(p[1], 20);
            for (int t = 0; t < 20; t++) {
                for (int i = 0; i < a[t].length; i++) {
                    assertEquals(b[t][i], a[t][i], 0.0, p[0].name() + " step " + t);
                }
            }
        }
    }

    @Test
    void stateDictAndOptionsContinueBitForBit() {
        for (String name : Optimizers.hypergradientNames()) {
            Optimizer first = Optimizers.create(name, Map.of("lr", 0.05, "hypergrad_lr", 0.01));
            INDArray a = Nd4jUpdaterTest.p0();
            INDArray b = Nd4jUpdaterTest.p0().mul(-3).reshape(3, 2);
            for (int t = 0; t < 5; t++) {
                first.step(List.of(a, b), List.of(OptimizerBehaviourTest.grad(t, 1),
                        OptimizerBehaviourTest.grad(t + 7, 2).reshape(3, 2)));
            }
            assertTrue(first.lr() != 0.05, name + ": lr adapted");
            List<Map<String, INDArray>> saved = first.stateDict(List.of(a, b));
            assertEquals(name.equals("sgd_hd") ? List.of("grad_prev") : List.of("step", "exp_avg", "exp_avg_sq"),
                    List.copyOf(saved.get(0).keySet()), name);
            INDArray a2 = a.dup();
            INDArray b2 = b.dup();
            Optimizer second = Optimizers.create(name, first.options());     // options carry the adapted lr
            second.loadStateDict(List.of(a2, b2), saved);
            for (int t = 5; t < 12; t++) {
                first.step(List.of(a, b), List.of(OptimizerBehaviourTest.grad(t, 1),
                        OptimizerBehaviourTest.grad(t + 7, 2).reshape(3, 2)));
                second.step(List.of(a2, b2), List.of(OptimizerBehaviourTest.grad(t, 1),
                        OptimizerBehaviourTest.grad(t + 7, 2).reshape(3, 2)));
            }
            assertEquals(a, a2, name);
            assertEquals(b, b2, name);
            assertEquals(first.lr(), second.lr(), 0.0, name);
        }
    }

    @Test
    void aTrainerCheckpointHoldsTheAdaptedLearningRate() {
        Synthetic.Classification c = Synthetic.spirals(300, 3, 0.1, 1);
        Dataset data = Dataset.of(c.x().castTo(DataType.FLOAT), c.oneHot().castTo(DataType.FLOAT));
        Path ckpt = tmp.resolve("hd.ckpt");
        Sequential straight = mlp();
        Trainer.Result full = recipe(straight, data, 4).build().fit();
        recipe(mlp(), data, 2).checkpoint(ckpt).build().fit();
        Sequential resumed = mlp();
        Trainer.Result r = recipe(resumed, data, 4).checkpoint(ckpt).resume(true).build().fit();
        assertEquals(straight.params(), resumed.params(), "bit for bit");
        assertEquals(full.history().doubleColumn("lr").asList(), r.history().doubleColumn("lr").asList());
        System.out.println("adam_hd on spirals, lr per epoch: " + r.history().doubleColumn("lr").asList());
        assertTrue(r.history().doubleColumn("lr").get(3) != 0.01, "the lr adapted");
    }

    private static Sequential mlp() {
        return Sequential.input(2).add(new Linear(2, 32)).add(new ReLU()).add(new Linear(32, 3))
                .dataType(DataType.FLOAT).seed(7).build();
    }

    private static Trainer.Builder recipe(Sequential m, Dataset data, int epochs) {
        return Trainer.builder(m).train(data)
                .optimizer(Optimizers.create("adam_hd", Map.of("lr", 0.01, "hypergrad_lr", 1e-4)))
                .batchSize(32).epochs(epochs).seed(3);
    }

    @Test
    void badOptionsAreRefusedByName() {
        for (String name : Optimizers.hypergradientNames()) {
            for (double beta : new double[] {-1e-3, Double.NaN, Double.POSITIVE_INFINITY}) {
                rejects(() -> Optimizers.create(name, Map.of("hypergrad_lr", beta)), name, "hypergrad_lr",
                        String.valueOf(beta));
            }
            rejects(() -> Optimizers.create(name, Map.of("hypergradient_lr", 1e-3)), "hypergradient_lr",
                    "hypergrad_lr");
            rejects(() -> Optimizers.create(name, Map.of("lr", -0.1)), "lr", "-0.1");
        }
        rejects(() -> Optimizers.create("sgd_hd", Map.of("beta1", 0.9)), "beta1", "hypergrad_lr");
        rejects(() -> new SgdHd().step(List.of(Nd4j.zeros(3)), List.of()), "1 parameter arrays", "0 gradient arrays");
        INDArray p = Nd4j.ones(DataType.DOUBLE, 2);
        INDArray g = Nd4j.createFromArray(1.0, Double.NaN);
        rejects(() -> new AdamHd().step(List.of(p), List.of(g)), "grad", "non-finite");
        assertEquals(Nd4j.ones(DataType.DOUBLE, 2), p, "untouched");
    }

    @Test
    void registry() {
        assertEquals(List.of("sgd_hd", "adam_hd"), Optimizers.hypergradientNames());
        assertTrue(!Optimizers.names().contains("sgd_hd"), "names() lists the torch rules");
        assertEquals(SgdHd.DEFAULTS, Optimizers.defaults("sgd_hd"));
        assertEquals(AdamHd.DEFAULTS, Optimizers.create("ADAM_HD").options());
        rejects(() -> Optimizers.create("sgdhd"), "sgdhd", "sgd_hd", "adam_hd");
    }
}
