package descent.data;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small seeded regression datasets with known true parameters: linear regression (real targets) and logistic
 * regression (0/1 labels).
 *
 * <p>Every feature is drawn independently from the standard normal distribution N(0, 1). Each generator draws from
 * one {@link java.util.Random} seeded with {@code seed} (its algorithm is fixed by the Java specification), so a seed
 * gives the same data on every machine and JVM. All arrays are DOUBLE.
 *
 * <pre>{@code
 * Regression.Data lin = Regression.linear(500, new double[] {2, -1, 0.5}, 1.0, 0.5, 42);
 * lin.x();          // [500, 3] features
 * lin.y();          // [500, 1] targets  y = x . w + b + noise
 * lin.weights();    // [3, 1] the true w;  lin.bias() the true b
 *
 * Regression.Data log = Regression.logistic(500, new double[] {2, -1, 0.5}, 1.0, 42);
 * log.y();          // [500, 1] labels 0.0 or 1.0, drawn with P(y = 1 | x) = sigmoid(x . w + b)
 * }</pre>
 */
public final class Regression {

    private Regression() {}

    /**
     * A dataset with the parameters that generated it.
     *
     * @param x the features, [n, d]
     * @param y the targets (linear) or 0/1 labels (logistic), [n, 1]
     * @param weights the true weights w, [d, 1]
     * @param bias the true bias b
     */
    public record Data(INDArray x, INDArray y, INDArray weights, double bias) {

        /** The number of examples n. */
        public int size() {
            return (int) x.size(0);
        }

        /** The number of features d. */
        public int features() {
            return (int) x.size(1);
        }
    }

    /**
     * Linear-regression data: {@code y_i = x_i . w + b + noise * e_i} with {@code x_ij} and {@code e_i} independent
     * standard normal draws.
     *
     * @param n the number of examples, &gt;= 1
     * @param weights the true weights w (d = weights.length &gt;= 1), finite
     * @param bias the true bias b, finite
     * @param noise the standard deviation of the target noise, &gt;= 0
     */
    public static Data linear(int n, double[] weights, double bias, double noise, long seed) {
        check("linear", n, weights, bias);
        if (!Double.isFinite(noise) || noise < 0) {
            throw new IllegalArgumentException("linear: noise must be finite and >= 0, got " + noise);
        }
        Random random = new Random(seed);
        double[][] x = features(n, weights.length, random);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = dot(x[i], weights) + bias + noise * random.nextGaussian();
        }
        return pack(x, y, weights, bias);
    }

    /**
     * Logistic-regression data: label {@code y_i = 1} with probability {@code sigmoid(x_i . w + b)}, else 0, with
     * {@code x_ij} independent standard normal draws. The labels are noisy (not separable) unless the weights are
     * huge, so the maximum-likelihood weights are finite.
     *
     * @param n the number of examples, &gt;= 1
     * @param weights the true weights w (d = weights.length &gt;= 1), finite
     * @param bias the true bias b, finite
     */
    public static Data logistic(int n, double[] weights, double bias, long seed) {
        check("logistic", n, weights, bias);
        Random random = new Random(seed);
        double[][] x = features(n, weights.length, random);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double p = 1.0 / (1.0 + Math.exp(-(dot(x[i], weights) + bias)));
            y[i] = random.nextDouble() < p ? 1.0 : 0.0;
        }
        return pack(x, y, weights, bias);
    }

    private static double[][] features(int n, int d, Random random) {
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = random.nextGaussian();
            }
        }
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    private static Data pack(double[][] x, double[] y, double[] weights, double bias) {
        int n = x.length;
        int d = weights.length;
        double[] flat = new double[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x[i], 0, flat, i * d, d);
        }
        return new Data(Nd4j.create(flat, new long[] {n, d}, 'c'), Nd4j.create(y, new long[] {n, 1}, 'c'),
                Nd4j.create(weights.clone(), new long[] {d, 1}, 'c'), bias);
    }

    private static void check(String generator, int n, double[] weights, double bias) {
        if (n < 1) {
            throw new IllegalArgumentException(generator + ": n must be >= 1, got " + n);
        }
        if (weights == null || weights.length == 0) {
            throw new IllegalArgumentException(generator + ": weights must have at least one entry (one per feature)");
        }
        for (int j = 0; j < weights.length; j++) {
            if (!Double.isFinite(weights[j])) {
                throw new IllegalArgumentException(generator + ": weights[" + j + "] must be finite, got " + weights[j]);
            }
        }
        if (!Double.isFinite(bias)) {
            throw new IllegalArgumentException(generator + ": bias must be finite, got " + bias);
        }
    }
}
