package descent.tune;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The test functions of the sampler comparison ({@code descent.bench.TuneBench}, notebook 08), written exactly as in
 * {@code tools/tune/functions.py} (same constants, same order of operations), so that Descent's samplers and
 * Optuna's minimize the same thing.
 *
 * <ul>
 *   <li>{@code branin}: x1 uniform in [-5, 10], x2 uniform in [0, 15];
 *   {@code (x2 - b x1^2 + c x1 - 6)^2 + 10 (1 - t) cos(x1) + 10} with b = 5.1 / (4 pi^2), c = 5 / pi,
 *   t = 1 / (8 pi); minimum 0.397887357729738 at (-pi, 12.275), (pi, 2.275) and (9.42478, 2.475). 30 trials.</li>
 *   <li>{@code hartmann6}: x1..x6 uniform in [0, 1]; {@code -sum_i alpha_i exp(-sum_j A_ij (x_j - P_ij)^2)} with
 *   the standard A, P, alpha; minimum -3.32236801141551 near (0.20169, 0.150011, 0.476874, 0.275332, 0.311652,
 *   0.6573). 60 trials.</li>
 *   <li>{@code mixed}: a synthetic training loss over lr log-uniform [1e-5, 1], momentum uniform [0, 0.99], width
 *   log-integer [8, 512] and optimizer categorical (sgd, momentum, adam, rmsprop); see {@link #mixed}. Minimum 0 at
 *   (adam, lr 1e-3, momentum 0.9, width 64). 40 trials.</li>
 * </ul>
 */
public final class TestFunctions {

    /** Branin's minimum. */
    public static final double BRANIN_OPTIMUM = 0.397887357729738;
    /** Hartmann-6's minimum. */
    public static final double HARTMANN6_OPTIMUM = -3.32236801141551;
    /** The mixed function's minimum. */
    public static final double MIXED_OPTIMUM = 0;

    private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] A = {
        {10, 3, 17, 3.5, 1.7, 8},
        {0.05, 10, 17, 0.1, 8, 14},
        {3, 3.5, 1.7, 10, 17, 8},
        {17, 8, 0.05, 10, 0.1, 14},
    };
    private static final double[][] P = {
        {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
        {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
        {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
        {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381},
    };

    /**
     * How the mixed function treats one optimizer: its offset (the loss it cannot go below), the best log10 of its
     * effective learning rate, whether it is sgd-like (sees lr / (1 - momentum)), and the momentum it likes best with
     * the weight of that preference.
     */
    private record Optimizer(double offset, double bestLogLr, boolean sgdLike, double bestMomentum,
            double momentumWeight) {
    }

    private static final Map<String, Optimizer> OPTIMIZERS = Map.of(
            "sgd", new Optimizer(0.3, -1.0, true, 0.0, 0.0),
            "momentum", new Optimizer(0.1, -1.5, true, 0.9, 0.5),
            "adam", new Optimizer(0.0, -3.0, false, 0.9, 1.0),
            "rmsprop", new Optimizer(0.05, -3.5, false, 0.0, 0.5));

    /** The mixed function's optimizer categories, in the order of its space. */
    public static final List<String> OPTIMIZER_NAMES = List.of("sgd", "momentum", "adam", "rmsprop");

    /**
     * A test function: its name, search space, trial budget, minimum and formula (of a trial's parameters by name).
     */
    public record Problem(String name, Space space, int budget, double optimum,
            ToDoubleFunction<Map<String, Object>> formula) {

        /** The function's value at {@code params} (Double, Integer or String values by dimension name). */
        public double value(Map<String, Object> params) {
            return formula.applyAsDouble(params);
        }

        /** The function as a study's objective. */
        public Study.Objective objective() {
            return trial -> value(trial.params());
        }
    }

    private TestFunctions() {
    }

    /** The three functions: branin, hartmann6, mixed. */
    public static List<Problem> problems() {
        Space.Builder h6 = Space.builder();
        for (int j = 1; j <= 6; j++) {
            h6.uniform("x" + j, 0, 1);
        }
        return List.of(
                new Problem("branin", Space.builder().uniform("x1", -5, 10).uniform("x2", 0, 15).build(), 30,
                        BRANIN_OPTIMUM, p -> branin(real(p, "x1"), real(p, "x2"))),
                new Problem("hartmann6", h6.build(), 60, HARTMANN6_OPTIMUM, p -> {
                    double[] x = new double[6];
                    for (int j = 0; j < 6; j++) {
                        x[j] = real(p, "x" + (j + 1));
                    }
                    return hartmann6(x);
                }),
                new Problem("mixed", Space.builder().logUniform("lr", 1e-5, 1).uniform("momentum", 0, 0.99)
                        .logInteger("width", 8, 512).categorical("optimizer", OPTIMIZER_NAMES.toArray(String[]::new))
                        .build(), 40, MIXED_OPTIMUM,
                        p -> mixed(real(p, "lr"), real(p, "momentum"), ((Number) p.get("width")).intValue(),
                                (String) p.get("optimizer"))));
    }

    /** The function {@code name}. */
    public static Problem problem(String name) {
        return problems().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown test function '" + name
                        + "'; valid names are [branin, hartmann6, mixed]"));
    }

    /** Branin-Hoo: {@code (x2 - b x1^2 + c x1 - 6)^2 + 10 (1 - t) cos(x1) + 10}. */
    public static double branin(double x1, double x2) {
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        double u = x2 - b * x1 * x1 + c * x1 - 6;
        return u * u + 10 * (1 - t) * Math.cos(x1) + 10;
    }

    /** Hartmann-6: {@code -sum_i alpha_i exp(-sum_j A_ij (x_j - P_ij)^2)}. */
    public static double hartmann6(double[] x) {
        if (x.length != 6) {
            throw new IllegalArgumentException("hartmann6 takes 6 coordinates, got " + x.length);
        }
        double total = 0;
        for (int i = 0; i < 4; i++) {
            double s = 0;
            for (int j = 0; j < 6; j++) {
                double d = x[j] - P[i][j];
                s += A[i][j] * d * d;
            }
            total += ALPHA[i] * Math.exp(-s);
        }
        return -total;
    }

    /**
     * A synthetic training loss, at least 0 everywhere and 0 only at (adam, lr 1e-3, momentum 0.9, width 64):
     *
     * <pre>
     *   w    = log2(width) - 6                                  (0 at width 64)
     *   eff  = lr / (1 - momentum) for sgd-like optimizers, else lr
     *   loss = 0.5 (log10(eff) - bestLogLr + 0.25 w)^2          (wider nets want a smaller rate)
     *        + momentumWeight (momentum - bestMomentum)^2
     *        + 0.05 w^2
     *        + offset
     * </pre>
     *
     * <table>
     *   <caption>per optimizer</caption>
     *   <tr><th>optimizer</th><th>offset</th><th>bestLogLr</th><th>sgd-like</th><th>bestMomentum</th>
     *       <th>momentumWeight</th></tr>
     *   <tr><td>sgd</td><td>0.3</td><td>-1</td><td>yes</td><td>0</td><td>0</td></tr>
     *   <tr><td>momentum</td><td>0.1</td><td>-1.5</td><td>yes</td><td>0.9</td><td>0.5</td></tr>
     *   <tr><td>adam</td><td>0</td><td>-3</td><td>no</td><td>0.9</td><td>1</td></tr>
     *   <tr><td>rmsprop</td><td>0.05</td><td>-3.5</td><td>no</td><td>0</td><td>0.5</td></tr>
     * </table>
     *
     * Sgd-like optimizers see the effective rate lr / (1 - momentum) (heavy ball's step on a steady slope), so their
     * best lr falls as momentum rises: a curved valley in (log lr, momentum). Adam and rmsprop see lr itself, and
     * momentum acts on them as beta1.
     */
    public static double mixed(double lr, double momentum, int width, String optimizer) {
        Optimizer o = OPTIMIZERS.get(optimizer);
        if (o == null) {
            throw new IllegalArgumentException("unknown optimizer '" + optimizer + "'; valid names are "
                    + OPTIMIZER_NAMES);
        }
        double w = Math.log(width) / Math.log(2) - 6;
        double eff = o.sgdLike() ? lr / (1 - momentum) : lr;
        double e = Math.log10(eff) - o.bestLogLr() + 0.25 * w;
        double m = momentum - o.bestMomentum();
        return 0.5 * e * e + o.momentumWeight() * m * m + 0.05 * w * w + o.offset();
    }

    private static double real(Map<String, Object> params, String name) {
        Object v = params.get(name);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("no number '" + name + "' in " + params);
        }
        return n.doubleValue();
    }
}
