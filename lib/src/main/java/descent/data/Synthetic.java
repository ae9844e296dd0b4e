package descent.data;

import java.util.SplittableRandom;

import java.nio.file.Path;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small seeded 2-D classification datasets for the notebooks: two moons, spirals, and imbalanced Gaussian blobs.
 *
 * <p>Each generator draws from one {@link java.util.Random} seeded with {@code seed} (its algorithm is fixed by
 * the Java specification), so a seed gives the same data on every machine and JVM. The rows are shuffled with the
 * same generator, so classes are interleaved (ready for mini-batches).
 *
 * <pre>{@code
 * Synthetic.Classification moons = Synthetic.twoMoons(200, 0.1, 42);
 * moons.x();        // [200, 2] points
 * moons.labels();   // [200, 1] class index 0 or 1, as double
 * moons.oneHot();   // [200, 2]
 * }</pre>
 */
public final class Synthetic {

    private Synthetic() {}

    /**
     * A labelled 2-D dataset, all DOUBLE.
     *
     * @param x the points, [n, 2]
     * @param labels the class index of each point as a double (0.0, 1.0, ...), [n, 1]
     * @param oneHot the same labels one-hot, [n, C]
     */
    public record Classification(INDArray x, INDArray labels, INDArray oneHot) {

        /** The number of points n. */
        public int size() {
            return (int) x.size(0);
        }

        /** The number of classes C. */
        public int numClasses() {
            return (int) oneHot.size(1);
        }

        /** How many points each class has, indexed by class. */
        public long[] classCounts() {
            long[] counts = new long[numClasses()];
            for (int i = 0; i < size(); i++) {
                counts[(int) labels.getDouble(i, 0)]++;
            }
            return counts;
        }
    }

    /**
     * Two interleaving half circles, as scikit-learn's {@code make_moons}: class 0 on the upper arc
     * (cos t, sin t), class 1 on the lower arc (1 - cos t, 0.5 - sin t), t evenly spaced in [0, pi], plus
     * Gaussian noise of standard deviation {@code noise} on each coordinate. Class 0 gets n / 2 points (rounded
     * down), class 1 the rest.
     *
     * @param n the number of points, &gt;= 2
     * @param noise the standard deviation of the coordinate noise, &gt;= 0 (0.1 is a typical value)
     */
    public static Classification twoMoons(int n, double noise, long seed) {
        requireAtLeast("twoMoons", "n", n, 2);
        requireNonNegative("twoMoons", "noise", noise);
        Random random = new Random(seed);
        int nUpper = n / 2;
        int nLower = n - nUpper;
        double[][] x = new double[n][2];
        int[] label = new int[n];
        for (int i = 0; i < nUpper; i++) {
            double t = nUpper == 1 ? 0.0 : Math.PI * i / (nUpper - 1);
            x[i][0] = Math.cos(t);
            x[i][1] = Math.sin(t);
            label[i] = 0;
        }
        for (int i = 0; i < nLower; i++) {
            double t = nLower == 1 ? 0.0 : Math.PI * i / (nLower - 1);
            x[nUpper + i][0] = 1.0 - Math.cos(t);
            x[nUpper + i][1] = 0.5 - Math.sin(t);
            label[nUpper + i] = 1;
        }
        for (double[] point : x) {
            point[0] += noise * random.nextGaussian();
            point[1] += noise * random.nextGaussian();
        }
        return shuffled(x, label, 2, random);
    }

    /**
     * Interleaved spiral arms, one per class, as in the CS231n "neural network case study": arm k has points at
     * radius r in [0, 1] (evenly spaced) and angle t = 2 pi k / C + 4 r + noise * N(0, 1), i.e. (r sin t, r cos t);
     * each arm sweeps 4 radians, and {@code noise} perturbs the <em>angle</em> (in radians). Points are split as
     * evenly as possible, the first {@code n % classes} classes getting one more.
     *
     * @param n the number of points, &gt;= classes
     * @param classes the number of arms C, &gt;= 2
     * @param noise the standard deviation of the angle noise in radians, &gt;= 0 (0.2 is a typical value)
     */
    public static Classification spirals(int n, int classes, double noise, long seed) {
        requireAtLeast("spirals", "classes", classes, 2);
        requireAtLeast("spirals", "n", n, classes);
        requireNonNegative("spirals", "noise", noise);
        Random random = new Random(seed);
        double[][] x = new double[n][2];
        int[] label = new int[n];
        int row = 0;
        for (int k = 0; k < classes; k++) {
            int m = n / classes + (k < n % classes ? 1 : 0);
            for (int i = 0; i < m; i++, row++) {
                double r = m == 1 ? 0.0 : (double) i / (m - 1);
                double t = 2.0 * Math.PI * k / classes + 4.0 * r + noise * random.nextGaussian();
                x[row][0] = r * Math.sin(t);
                x[row][1] = r * Math.cos(t);
                label[row] = k;
            }
        }
        return shuffled(x, label, classes, random);
    }

    /**
     * Two 2-D Gaussian blobs of unit variance with very different sizes, for class-imbalance experiments: class 0
     * (the majority) centred at (-separation / 2, 0), class 1 (the minority) at (+separation / 2, 0).
     *
     * @param nMajority points of class 0, &gt;= 1
     * @param nMinority points of class 1, &gt;= 1
     * @param separation the distance between the centres, &gt;= 0 (about 2 gives a fair overlap)
     */
    public static Classification imbalanced(int nMajority, int nMinority, double separation, long seed) {
        requireAtLeast("imbalanced", "nMajority", nMajority, 1);
        requireAtLeast("imbalanced", "nMinority", nMinority, 1);
        requireNonNegative("imbalanced", "separation", separation);
        Random random = new Random(seed);
        int n = nMajority + nMinority;
        double[][] x = new double[n][2];
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            label[i] = i < nMajority ? 0 : 1;
            double centre = (label[i] == 0 ? -0.5 : 0.5) * separation;
            x[i][0] = centre + random.nextGaussian();
            x[i][1] = random.nextGaussian();
        }
        return shuffled(x, label, 2, random);
    }

    /** Shuffles the rows (Fisher-Yates) and packs them into arrays. */
    private static Classification shuffled(double[][] x, int[] label, int classes, Random random) {
        int n = x.length;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double[] point = x[i];
            x[i] = x[j];
            x[j] = point;
            int l = label[i];
            label[i] = label[j];
            label[j] = l;
        }
        double[] labels = new double[n];
        double[] oneHot = new double[n * classes];
        for (int i = 0; i < n; i++) {
            labels[i] = label[i];
            oneHot[i * classes + label[i]] = 1.0;
        }
        return new Classification(Nd4j.create(x).castTo(DataType.DOUBLE), Nd4j.create(labels, new long[] {n, 1}, 'c'),
                Nd4j.create(oneHot, new long[] {n, classes}, 'c'));
    }

    private static void requireAtLeast(String generator, String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(generator + ": " + name + " must be >= " + minimum + ", got " + value);
        }
    }

    private static void requireNonNegative(String generator, String name, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(generator + ": " + name + " must be finite and >= 0, got " + value);
        }
    }
    // ---------------------------------------------------------------------------------------- CIFAR-format images

    /*
     * Small generated image sets in CIFAR-10 format, for smoke runs and tests: no download, learnable in seconds.
     * Each image of class k is a pattern painted in a class colour, plus noise:
     *   colour   = CIFAR_PALETTE[k] + brightness jitter (same for the 3 channels, uniform in [-30, 30])
     *   pattern  = one of 5 shapes, by k mod 5: horizontal stripes, vertical stripes, checkerboard, centred disc,
     *              vertical gradient; stripes and checkerboard get a random phase
     *   pixel    = clamp(colour * (0.55 + 0.45 * pattern(y, x)) + noise),   noise uniform in [-40, 40]
     * Classes k and k + 5 share a shape but not a colour, and the palette has near neighbours, so a model must use
     * both colour and shape. All shapes survive random crops and horizontal flips, so augmented training still
     * works. A small CNN reaches well above 90% after a few hundred steps.
     */

    /** One colour per class (R, G, B). */
    static final int[][] CIFAR_PALETTE = {
            {200, 60, 60}, {60, 200, 60}, {60, 60, 200}, {200, 200, 60}, {200, 60, 200},
            {60, 200, 200}, {170, 110, 60}, {110, 170, 200}, {230, 230, 230}, {100, 100, 100}};

    /**
     * {@code n} generated images, classes balanced ({@code n/10} each, the first {@code n mod 10} classes one more)
     * in a shuffled order; the same seed gives the same bytes.
     */
    public static Cifar10 cifar10(int n, long seed, Cifar10.Split split) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % Cifar10.NUM_CLASSES;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        byte[] l = new byte[n];
        byte[] p = new byte[n * Cifar10.IMAGE_BYTES];
        for (int i = 0; i < n; i++) {
            l[i] = (byte) labels[i];
            paintCifar(labels[i], rng, p, i * Cifar10.IMAGE_BYTES);
        }
        return new Cifar10(l, p, split, "synthetic(n=" + n + ", seed=" + seed + ")");
    }

    private static void paintCifar(int k, SplittableRandom rng, byte[] dst, int offset) {
        int shape = k % 5;
        int period = 4 + rng.nextInt(5);
        int phase = rng.nextInt(period);
        double jitter = rng.nextDouble(-30, 30);
        int plane = Cifar10.HEIGHT * Cifar10.WIDTH;
        for (int y = 0; y < Cifar10.HEIGHT; y++) {
            for (int x = 0; x < Cifar10.WIDTH; x++) {
                double pattern = switch (shape) {
                    case 0 -> ((y + phase) / (period / 2)) % 2;                             // horizontal stripes
                    case 1 -> ((x + phase) / (period / 2)) % 2;                             // vertical stripes
                    case 2 -> (((y + phase) / (period / 2)) + ((x + phase) / (period / 2))) % 2; // checkerboard
                    case 3 -> Math.hypot(y - 15.5, x - 15.5) < 10 ? 1 : 0;                 // centred disc
                    default -> y / 31.0;                                                     // vertical gradient
                };
                for (int c = 0; c < Cifar10.CHANNELS; c++) {
                    double v = (CIFAR_PALETTE[k][c] + jitter) * (0.55 + 0.45 * pattern) + rng.nextDouble(-40, 40);
                    dst[offset + c * plane + y * Cifar10.WIDTH + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
    }

    /**
     * Writes a generated training set ({@code trainN} images, seed) and test set ({@code testN} images, seed + 1)
     * in the official folder layout ({@link Cifar10Files#writeFolder}).
     */
    public static void writeCifar10Folder(Path dir, int trainN, int testN, long seed, boolean gzip) {
        Cifar10Files.writeFolder(dir, cifar10(trainN, seed, Cifar10.Split.TRAIN),
                cifar10(testN, seed + 1, Cifar10.Split.TEST), gzip);
    }

    /** Writes a generated training and test set as an archive laid out like the official one. */
    public static void writeCifar10Archive(Path file, int trainN, int testN, long seed) {
        Cifar10Files.writeTarGz(file, cifar10(trainN, seed, Cifar10.Split.TRAIN),
                cifar10(testN, seed + 1, Cifar10.Split.TEST));
    }
}
