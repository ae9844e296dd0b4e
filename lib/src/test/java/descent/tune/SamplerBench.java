package descent.tune;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Medians (and means) over seeds 0-9 of (best - optimum) on Branin (30 trials) and Hartmann-6 (60 trials), per
 * sampler; tools/tune/sampler_reference.py prints Optuna 3.1's for the same budgets. Run with the test classpath:
 *
 * <pre>
 * mvn -q -o -pl lib test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp lib/target/classes:lib/target/test-classes:$(cat /tmp/cp.txt) descent.tune.SamplerBench [names...]
 * </pre>
 *
 * ({@code -Dseeds=40} for more seeds; names are registry names or {@code tpe-multivariate}.)
 */
public final class SamplerBench {

    static final double BRANIN_MIN = 0.397887;
    static final double HARTMANN6_MIN = -3.32237;
    /** Seeds 0..SEEDS-1 ({@code -Dseeds=N}, default 10). */
    static final int SEEDS = Integer.getInteger("seeds", 10);

    private SamplerBench() {
    }

    static double branin(Trial t) {
        double x1 = t.getDouble("x1");
        double x2 = t.getDouble("x2");
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double s = 1 / (8 * Math.PI);
        return Math.pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - s) * Math.cos(x1) + 10;
    }

    private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] A = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8},
        {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] P = {{1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
        {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};

    static double hartmann6(Trial t) {
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            double e = 0;
            for (int j = 0; j < 6; j++) {
                double x = t.getDouble("x" + j);
                e += A[i][j] * Math.pow(x - P[i][j] * 1e-4, 2);
            }
            sum += ALPHA[i] * Math.exp(-e);
        }
        return -sum;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static void main(String[] args) {
        Space branin = Space.builder().uniform("x1", -5, 10).uniform("x2", 0, 15).build();
        Space.Builder hb = Space.builder();
        for (int j = 0; j < 6; j++) {
            hb.uniform("x" + j, 0, 1);
        }
        Space hartmann = hb.build();
        List<String> names = args.length > 0 ? List.of(args) : List.of("tpe", "cmaes", "random", "sobol", "evolution");
        for (String name : names) {
            LongFunction<Sampler> make = name.equals("tpe-multivariate") ? seed -> new TpeSampler(seed, true)
                    : seed -> Samplers.create(name, seed);
            double[] b = new double[SEEDS];
            double[] h = new double[SEEDS];
            for (int seed = 0; seed < SEEDS; seed++) {
                b[seed] = Study.minimize(branin, make.apply(seed)).optimize(SamplerBench::branin, 30).best().value()
                        - BRANIN_MIN;
                h[seed] = Study.minimize(hartmann, make.apply(seed)).optimize(SamplerBench::hartmann6, 60).best()
                        .value() - HARTMANN6_MIN;
            }
            System.out.printf("%-17s branin(30) median %.4f mean %.4f   hartmann6(60) median %.4f mean %.4f%n", name,
                    median(b), Arrays.stream(b).average().orElseThrow(), median(h),
                    Arrays.stream(h).average().orElseThrow());
        }
    }
}
