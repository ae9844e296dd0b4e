package descent.data;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Small generated image sets in CIFAR-10 format, for tests and smoke runs: no download, learnable in seconds.
 *
 * <p>Each image of class {@code k} is a pattern painted in a class colour, plus noise:
 * <pre>
 *   colour   = PALETTE[k] + brightness jitter (same for the 3 channels, uniform in [-30, 30])
 *   pattern  = one of 5 shapes, by k mod 5: horizontal stripes, vertical stripes, checkerboard, centred disc,
 *              vertical gradient; stripes and checkerboard get a random phase
 *   pixel    = clamp(colour * (0.55 + 0.45 * pattern(y, x)) + noise),   noise uniform in [-40, 40]
 * </pre>
 * Classes {@code k} and {@code k + 5} share a shape but not a colour, and the palette has near neighbours, so a
 * model must use both colour and shape. All shapes survive random crops and horizontal flips (a vertical-stripe
 * image stays a vertical-stripe image), so augmented training still works. A small CNN reaches well above 90%
 * after a few hundred steps.
 */
public final class Cifar10Fixtures {

    /** One colour per class (R, G, B). */
    static final int[][] PALETTE = {
            {200, 60, 60}, {60, 200, 60}, {60, 60, 200}, {200, 200, 60}, {200, 60, 200},
            {60, 200, 200}, {170, 110, 60}, {110, 170, 200}, {230, 230, 230}, {100, 100, 100}};

    private Cifar10Fixtures() {
    }

    /**
     * {@code n} generated images, classes balanced ({@code n/10} each, the first {@code n mod 10} classes one more)
     * in a shuffled order; the same seed gives the same bytes.
     */
    public static Cifar10 synthetic(int n, long seed, Cifar10.Split split) {
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
            paint(labels[i], rng, p, i * Cifar10.IMAGE_BYTES);
        }
        return new Cifar10(l, p, split, "synthetic(n=" + n + ", seed=" + seed + ")");
    }

    private static void paint(int k, SplittableRandom rng, byte[] dst, int offset) {
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
                    double v = (PALETTE[k][c] + jitter) * (0.55 + 0.45 * pattern) + rng.nextDouble(-40, 40);
                    dst[offset + c * plane + y * Cifar10.WIDTH + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
    }

    /**
     * Writes a generated training set ({@code trainN} images, seed) and test set ({@code testN} images, seed + 1)
     * in the official folder layout ({@link Cifar10Files#writeFolder}).
     */
    public static void writeFolder(Path dir, int trainN, int testN, long seed, boolean gzip) {
        Cifar10Files.writeFolder(dir, synthetic(trainN, seed, Cifar10.Split.TRAIN),
                synthetic(testN, seed + 1, Cifar10.Split.TEST), gzip);
    }

    /** Writes a generated training and test set as an archive laid out like the official one. */
    public static void writeArchive(Path file, int trainN, int testN, long seed) {
        Cifar10Files.writeTarGz(file, synthetic(trainN, seed, Cifar10.Split.TRAIN),
                synthetic(testN, seed + 1, Cifar10.Split.TEST));
    }
}
