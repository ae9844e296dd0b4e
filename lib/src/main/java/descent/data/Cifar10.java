package descent.data;

import java.awt.image.BufferedImage;
import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CIFAR-10 image set (Krizhevsky, 2009): 32x32 colour images in 10 classes, 50,000 for training and
 * 10,000 for testing.
 *
 * <p>Images are held as bytes, exactly as in the binary files (label array + one 3072-byte image per record,
 * red plane, then green, then blue, each row-major): the full training set costs 150 MB. Floats are made only per
 * mini-batch, by {@link #fill}, normalized per channel:
 * <pre>
 *   x[c] = (byte / 255 - MEAN[c]) / STD[c]     MEAN = (0.4914, 0.4822, 0.4465), STD = (0.2023, 0.1994, 0.2010)
 * </pre>
 * in NHWC order ({@code [batch, 32, 32, 3]}, channels last), the layout {@code descent.nn} works in.
 *
 * <pre>{@code
 * Cifar10 train = Cifar10.train(Path.of("/data/cifar-10"));   // folder, .tar.gz, or Cifar10.train() for the cache
 * Cifar10 small = train.perClass(500);                          // first 500 images of each class
 * }</pre>
 *
 * Sources: see {@link #load(Path, Split)}; downloading and the cache: {@link Cifar10Download}; small generated
 * sets for tests and smoke runs: {@link Synthetic#cifar10}.
 */
public final class Cifar10 implements Dataset {

    public static final int HEIGHT = 32;
    public static final int WIDTH = 32;
    public static final int CHANNELS = 3;
    /** Bytes per image: 3 planes of 32x32. */
    public static final int IMAGE_BYTES = CHANNELS * HEIGHT * WIDTH;
    public static final int NUM_CLASSES = 10;
    /** Class names, in label order. */
    public static final List<String> CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
    /** Per-channel mean of the training set (R, G, B), the values in common use. */
    public static final double[] MEAN = {0.4914, 0.4822, 0.4465};
    /** Per-channel standard deviation (R, G, B), the values in common use. */
    public static final double[] STD = {0.2023, 0.1994, 0.2010};

    private static final CropAndFlip NO_CROP = new CropAndFlip(0, false);

    /** Which file set to read. */
    public enum Split { TRAIN, TEST }

    /** normalized[c][byte] = (byte / 255 - MEAN[c]) / STD[c], as float. */
    private static final float[][] NORMALIZED = new float[CHANNELS][256];

    static {
        for (int c = 0; c < CHANNELS; c++) {
            for (int v = 0; v < 256; v++) {
                NORMALIZED[c][v] = (float) ((v / 255.0 - MEAN[c]) / STD[c]);
            }
        }
    }

    private final byte[] labels;
    private final byte[] pixels;
    private final Split split;
    private final String source;

    Cifar10(byte[] labels, byte[] pixels, Split split, String source) {
        this.labels = labels;
        this.pixels = pixels;
        this.split = split;
        this.source = source;
    }

    // ------------------------------------------------------------------------------------------------ loading

    /**
     * Reads a split from {@code source}, which may be:
     * <ul>
     *   <li>a folder holding {@code data_batch_1.bin ... data_batch_5.bin} and {@code test_batch.bin} (each may be
     *   gzipped, {@code .bin.gz}), directly or in a subfolder {@code cifar-10-batches-bin/}, or holding the
     *   official archive {@code cifar-10-binary.tar.gz};</li>
     *   <li>the official archive itself ({@code .tar.gz});</li>
     *   <li>a single {@code .bin} or {@code .bin.gz} file (read as it is).</li>
     * </ul>
     *
     * @throws Cifar10FormatException if a file is truncated, has a wrong size or a label outside 0-9 (the message
     *     names the file, the record and the byte offset)
     * @throws java.io.UncheckedIOException if files are missing (the message says which files to put where)
     */
    public static Cifar10 load(Path source, Split split) {
        return Cifar10Files.read(source, split);
    }

    /** The training set (50,000 images) from {@code source}; see {@link #load(Path, Split)}. */
    public static Cifar10 train(Path source) {
        return load(source, Split.TRAIN);
    }

    /** The test set (10,000 images) from {@code source}; see {@link #load(Path, Split)}. */
    public static Cifar10 test(Path source) {
        return load(source, Split.TEST);
    }

    /** The training set from the cache ({@code $DESCENT_DATA}, else {@code ~/.cache/descent}), downloading if needed. */
    public static Cifar10 train() {
        return load(Cifar10Download.standard().ensure(), Split.TRAIN);
    }

    /** The test set from the cache, downloading if needed. */
    public static Cifar10 test() {
        return load(Cifar10Download.standard().ensure(), Split.TEST);
    }

    /**
     * A set made from arrays: {@code labels[i]} in 0-9 and image i in
     * {@code pixels[i*3072 .. (i+1)*3072)} (R, G, B planes, row-major). The arrays are copied.
     */
    public static Cifar10 of(byte[] labels, byte[] pixels, Split split) {
        if ((long) labels.length * IMAGE_BYTES != pixels.length) {
            throw new IllegalArgumentException("pixels must hold labels.length * 3072 = "
                    + (long) labels.length * IMAGE_BYTES + " bytes, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= NUM_CLASSES) {
                throw new IllegalArgumentException("label " + i + " is " + (labels[i] & 0xFF) + ", expected 0-9");
            }
        }
        return new Cifar10(labels.clone(), pixels.clone(), split, "arrays");
    }

    // ------------------------------------------------------------------------------------------------ accessors

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Which split this set was read as. */
    public Split split() {
        return split;
    }

    /** Where the images came from (a path, or a description). */
    public String source() {
        return source;
    }

    /** Label (0-9) of image i. */
    public int label(int i) {
        return labels[i];
    }

    /** All labels, as a fresh array. */
    public int[] labels() {
        int[] out = new int[labels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels[i];
        }
        return out;
    }

    /** Pixel value 0-255 of image i at channel c (0 R, 1 G, 2 B), row y, column x. */
    public int pixel(int i, int c, int y, int x) {
        return pixels[i * IMAGE_BYTES + c * HEIGHT * WIDTH + y * WIDTH + x] & 0xFF;
    }

    /** Copies the 3072 raw bytes of image i (file layout) into {@code dst} at {@code offset}. */
    public void copyImage(int i, byte[] dst, int offset) {
        System.arraycopy(pixels, i * IMAGE_BYTES, dst, offset, IMAGE_BYTES);
    }

    /** Number of images of each class. */
    public int[] classCounts() {
        int[] counts = new int[NUM_CLASSES];
        for (byte l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /** Bytes held by this set (labels + pixels). */
    public long bytes() {
        return labels.length + (long) pixels.length;
    }

    /** Image i as an RGB picture, for display. */
    public BufferedImage toImage(int i) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                img.setRGB(x, y, pixel(i, 0, y, x) << 16 | pixel(i, 1, y, x) << 8 | pixel(i, 2, y, x));
            }
        }
        return img;
    }

    // ------------------------------------------------------------------------------------------------ subsets

    /** Images {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public Cifar10 slice(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") is outside 0.." + size());
        }
        return new Cifar10(Arrays.copyOfRange(labels, from, to),
                Arrays.copyOfRange(pixels, from * IMAGE_BYTES, to * IMAGE_BYTES), split,
                source + " [" + from + ", " + to + ")");
    }

    /** The first n images. */
    public Cifar10 first(int n) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException("first(" + n + "): this set has " + size() + " images");
        }
        return n == size() ? this : slice(0, n);
    }

    /** The first n images of each class, in their original order. */
    public Cifar10 perClass(int n) {
        int[] counts = classCounts();
        for (int c = 0; c < NUM_CLASSES; c++) {
            if (counts[c] < n) {
                throw new IllegalArgumentException("perClass(" + n + "): class " + c + " (" + CLASS_NAMES.get(c)
                        + ") has only " + counts[c] + " images; class counts " + Arrays.toString(counts));
            }
        }
        int[] taken = new int[NUM_CLASSES];
        int[] idx = new int[n * NUM_CLASSES];
        int k = 0;
        for (int i = 0; i < size() && k < idx.length; i++) {
            if (taken[labels[i]] < n) {
                taken[labels[i]]++;
                idx[k++] = i;
            }
        }
        Cifar10 s = select(idx);
        return new Cifar10(s.labels, s.pixels, split, source + " (first " + n + " per class)");
    }

    /** The images at the given indices, in that order, copied. */
    public Cifar10 select(int[] indices) {
        byte[] l = new byte[indices.length];
        byte[] p = new byte[indices.length * IMAGE_BYTES];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size()) {
                throw new IllegalArgumentException("index " + i + " at position " + k + " is outside 0.." + (size() - 1));
            }
            l[k] = labels[i];
            System.arraycopy(pixels, i * IMAGE_BYTES, p, k * IMAGE_BYTES, IMAGE_BYTES);
        }
        return new Cifar10(l, p, split, source + " (" + indices.length + " selected)");
    }

    // ------------------------------------------------------------------------------------------------ batches

    /** {@code [32, 32, 3]}: channels last. */
    @Override
    public long[] featureShape() {
        return new long[] {HEIGHT, WIDTH, CHANNELS};
    }

    /** {@code [10]}: one-hot. */
    @Override
    public long[] targetShape() {
        return new long[] {NUM_CLASSES};
    }

    @Override
    public boolean isClassification() {
        return true;
    }

    @Override
    public List<String> classNames() {
        return CLASS_NAMES;
    }

    /**
     * Writes images {@code order[from] ... order[from+count-1]}, normalized and augmented ({@link #normalizedHWC}:
     * cropped from a black-padded image, then mirrored), into {@code x} {@code [count, 32, 32, 3]} and their one-hot
     * labels into {@code y} {@code [count, 10]}.
     */
    @Override
    public void fill(int[] order, int from, int count, Augmentation augmentation, SplittableRandom rng, INDArray x,
                     INDArray y) {
        Batches.check("Cifar10", this, order, from, count, x, y);
        int[] labels = new int[count];
        if (augmentation instanceof CropAndFlip c) {     // fused: cropped and mirrored while converting the bytes
            fillBatch(order, from, count, c, rng, x, labels);
        } else {
            fillBatch(order, from, count, NO_CROP, null, x, labels);
            augmentation.apply(x, rng);
        }
        double[] oneHot = new double[count * NUM_CLASSES];
        for (int k = 0; k < count; k++) {
            oneHot[k * NUM_CLASSES + labels[k]] = 1;
        }
        y.assign(Nd4j.createFromArray(oneHot).reshape(count, NUM_CLASSES).castTo(y.dataType()));
    }

    /**
     * Writes images {@code order[from] ... order[from+count-1]}, normalized and augmented, into {@code x} in NHWC
     * order, and their labels into {@code y[0..count)}.
     *
     * <p>For each image the random numbers are drawn from {@code rng} in a fixed order (crop offset y, crop offset
     * x, flip), so the same rng state gives the same batch.
     *
     * @param x a c-ordered FLOAT or DOUBLE array of {@code count*3072} elements, e.g. shape {@code [count,32,32,3]}
     * @param rng random source for augmentation; may be null when {@code aug} is {@link Augmentation#NONE}
     */
    void fillBatch(int[] order, int from, int count, CropAndFlip aug, SplittableRandom rng,
                          INDArray x, int[] y) {
        if (x.length() != (long) count * IMAGE_BYTES || x.ordering() != 'c' || !isDense(x)) {
            throw new IllegalArgumentException("x must be a dense c-ordered array of count*3072 = "
                    + (long) count * IMAGE_BYTES + " elements, got shape " + Arrays.toString(x.shape())
                    + " ordering " + x.ordering());
        }
        if (from < 0 || count < 0 || from + count > order.length || y.length < count) {
            throw new IllegalArgumentException("batch [" + from + ", " + (from + count) + ") does not fit order of length "
                    + order.length + " / labels of length " + y.length);
        }
        if (!aug.isIdentity() && rng == null) {
            throw new IllegalArgumentException("augmentation " + aug + " needs a random source, got null");
        }
        // Draw the random numbers in a fixed order first, then convert the images.
        int[] dy = new int[count];
        int[] dx = new int[count];
        boolean[] flip = new boolean[count];
        for (int k = 0; k < count; k++) {
            y[k] = labels[order[from + k]];
            if (aug.padding() > 0) {
                dy[k] = rng.nextInt(2 * aug.padding() + 1) - aug.padding();
                dx[k] = rng.nextInt(2 * aug.padding() + 1) - aug.padding();
            }
            if (aug.flip()) {
                flip[k] = rng.nextBoolean();
            }
        }
        long base = x.offset();
        FloatBuffer fb = x.dataType() == DataType.FLOAT ? x.data().asNioFloat() : null;
        DoubleBuffer db = x.dataType() == DataType.DOUBLE ? x.data().asNioDouble() : null;
        if (fb == null && db == null) {
            throw new IllegalArgumentException("x must be FLOAT or DOUBLE, got " + x.dataType());
        }
        float[] img = new float[IMAGE_BYTES];
        for (int k = 0; k < count; k++) {
            normalizedHWC(order[from + k], dy[k], dx[k], flip[k], img);
            int at = (int) (base + (long) k * IMAGE_BYTES);
            if (fb != null) {
                for (int j = 0; j < IMAGE_BYTES; j++) {
                    fb.put(at + j, img[j]);
                }
            } else {
                for (int j = 0; j < IMAGE_BYTES; j++) {
                    db.put(at + j, img[j]);
                }
            }
        }
        Reference.reachabilityFence(x);   // the NIO view does not keep x's native memory alive
    }

    private static boolean isDense(INDArray x) {
        long expect = 1;
        for (int d = x.rank() - 1; d >= 0; d--) {
            if (x.size(d) > 1 && x.stride(d) != expect) {
                return false;
            }
            expect *= x.size(d);
        }
        return true;
    }

    /**
     * Image i as normalized floats in HWC order, shifted by (dy, dx) (pixels outside the image are black) and
     * then optionally mirrored: {@code out[h][w] = image[h + dy][(flip ? 31 - w : w) + dx]}.
     */
    void normalizedHWC(int i, int dy, int dx, boolean flip, float[] out) {
        int base = i * IMAGE_BYTES;
        for (int h = 0; h < HEIGHT; h++) {
            int sy = h + dy;
            boolean rowInside = sy >= 0 && sy < HEIGHT;
            for (int w = 0; w < WIDTH; w++) {
                int sx = (flip ? WIDTH - 1 - w : w) + dx;
                int o = (h * WIDTH + w) * CHANNELS;
                if (rowInside && sx >= 0 && sx < WIDTH) {
                    int s = base + sy * WIDTH + sx;
                    out[o] = NORMALIZED[0][pixels[s] & 0xFF];
                    out[o + 1] = NORMALIZED[1][pixels[s + HEIGHT * WIDTH] & 0xFF];
                    out[o + 2] = NORMALIZED[2][pixels[s + 2 * HEIGHT * WIDTH] & 0xFF];
                } else {
                    out[o] = NORMALIZED[0][0];
                    out[o + 1] = NORMALIZED[1][0];
                    out[o + 2] = NORMALIZED[2][0];
                }
            }
        }
    }

    /**
     * Images {@code from .. from+count-1}, normalized, not augmented, as a new {@code [count, 32, 32, 3]} array.
     */
    public INDArray images(int from, int count, DataType type) {
        int[] order = new int[count];
        for (int k = 0; k < count; k++) {
            order[k] = from + k;
        }
        if (from < 0 || from + count > size()) {
            throw new IllegalArgumentException("images [" + from + ", " + (from + count) + ") outside 0.." + size());
        }
        INDArray x = Nd4j.create(type, count, HEIGHT, WIDTH, CHANNELS);
        fillBatch(order, 0, count, NO_CROP, null, x, new int[count]);
        return x;
    }

    /** Writes this set as one CIFAR-10 batch file ({@code .bin}, or {@code .bin.gz} gzipped). */
    public void write(Path file) {
        Cifar10Files.write(this, file);
    }

    @Override
    public String toString() {
        return "Cifar10[" + split.name().toLowerCase() + ", " + size() + " images, class counts "
                + Arrays.toString(classCounts()) + ", from " + source + "]";
    }
}
