package descent.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random crop from a zero-padded image, then an optional random horizontal flip ({@link Augmentation#cropAndFlip},
 * {@link Augmentation#randomCrop}, {@link Augmentation#horizontalFlip}). This is the classic CIFAR-10 recipe, the same as torchvision's
 * {@code RandomCrop(32, padding=p)} followed by {@code RandomHorizontalFlip()}:
 *
 * <pre>
 *   dy, dx ~ uniform{0, ..., 2p}          (crop offset inside the padded 36x36 image for p = 4)
 *   flip   ~ Bernoulli(1/2)
 *   out[h][w] = padded[h + dy][(flip ? W-1-w : w) + dx]
 * </pre>
 *
 * A batch transform of channels-last images {@code [N, H, W, C]}, applied by a {@link Dataset} as it fills a
 * training batch ({@link #apply}). Random numbers are drawn per image in a fixed order (crop offset y, crop offset x,
 * flip), so the same random source gives the same batch. Padding: {@link Cifar10} pads black pixels (byte value 0)
 * before normalizing, exactly as torchvision pads the PIL image before {@code ToTensor()} and {@code Normalize()}
 * (after normalization they hold {@code -mean/std}); {@link #apply} on an array pads with the value 0.
 *
 * @param padding crop padding in pixels (0 = no crop)
 * @param flip whether to flip horizontally with probability 1/2
 */
public record CropAndFlip(int padding, boolean flip) implements Augmentation {

    public CropAndFlip {
        if (padding < 0 || padding > 16) {
            throw new IllegalArgumentException("crop padding must be in 0..16 pixels, got " + padding);
        }
    }

    /**
     * Augments a batch of images {@code [N, H, W, C]} in place (padding with 0), drawing from {@code rng}.
     *
     * @throws IllegalArgumentException if the batch is not of rank 4 (the augmentation needs images), or rng is
     *     null for an augmentation that is not the identity
     */
    @Override
    public void apply(INDArray images, SplittableRandom rng) {
        if (isIdentity()) {
            return;
        }
        if (images.rank() != 4) {
            throw new IllegalArgumentException("augmentation " + this + " needs images [batch, height, width, channels],"
                    + " got " + Arrays.toString(images.shape()));
        }
        if (rng == null) {
            throw new IllegalArgumentException("augmentation " + this + " needs a random source, got null");
        }
        int n = (int) images.size(0);
        int h = (int) images.size(1);
        int w = (int) images.size(2);
        int c = (int) images.size(3);
        double[] in = images.dup('c').data().asDouble();
        double[] out = new double[in.length];
        int per = h * w * c;
        for (int k = 0; k < n; k++) {
            int dy = padding > 0 ? rng.nextInt(2 * padding + 1) - padding : 0;
            int dx = padding > 0 ? rng.nextInt(2 * padding + 1) - padding : 0;
            boolean f = flip && rng.nextBoolean();
            for (int yy = 0; yy < h; yy++) {
                int sy = yy + dy;
                for (int xx = 0; xx < w; xx++) {
                    int sx = (f ? w - 1 - xx : xx) + dx;
                    if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                        System.arraycopy(in, k * per + (sy * w + sx) * c, out, k * per + (yy * w + xx) * c, c);
                    }
                }
            }
        }
        images.assign(Nd4j.createFromArray(out).reshape(images.shape()).castTo(images.dataType()));
    }

    /**
     * The deterministic flip: writes every image of {@code images} ({@code [N, H, W, C]}) mirrored left to right into
     * {@code into} (same shape and data type, not {@code images} itself):
     * {@code into[n, h, w, c] = images[n, h, W-1-w, c]}. E.g. for test-time augmentation
     * ({@code descent.train.Evaluation}).
     *
     * @throws IllegalArgumentException if {@code images} is not of rank 4, or {@code into} differs in shape or type
     *     or is {@code images}
     */
    public static void mirror(INDArray images, INDArray into) {
        checkTarget("mirror", images, into);
        // A copy loop, not ND4J's Reverse op: libnd4j 1.0.0-M2.1's reverse with a separate output never frees about
        // 1.75 MB of native memory per call on a [100, 32, 32, 3] batch (1.75 GB over the 10-epoch speedrun's eleven
        // flip-TTA evaluations of 10,000 images; EvaluationTtaTest.mirrorDoesNotLeakNativeMemory).
        int h = (int) images.size(1);
        int w = (int) images.size(2);
        int[] rows = new int[h];
        int[] cols = new int[w];
        for (int y = 0; y < h; y++) {
            rows[y] = y;
        }
        for (int x = 0; x < w; x++) {
            cols[x] = w - 1 - x;
        }
        remap(images, rows, cols, into);
    }

    /**
     * The deterministic translation with reflected borders: writes every image of {@code images} ({@code [N, H, W, C]})
     * moved by {@code (dy, dx)} pixels into {@code into} (same shape and data type, not {@code images} itself),
     * <pre>
     *   into[n, h, w, c] = images[n, r(h + dy, H), r(w + dx, W), c]      r(i, L) = -i if i &lt; 0, 2(L-1) - i if i &gt;= L
     * </pre>
     * so {@code dy = dx = -1} is torch's {@code F.pad(x, (1, 1, 1, 1), 'reflect')[..., 0:H, 0:W]} and {@code +1} its
     * {@code [..., 2:H+2, 2:W+2]}: the two views airbench94 adds for test-time augmentation
     * ({@code descent.train.Evaluation.Tta#FLIP_TRANSLATE}).
     *
     * @throws IllegalArgumentException if {@code images} is not of rank 4, {@code into} differs in shape or type or is
     *     {@code images}, or a shift is not smaller than the image ({@code |dy| < H}, {@code |dx| < W})
     */
    public static void shift(INDArray images, int dy, int dx, INDArray into) {
        checkTarget("shift", images, into);
        int n = (int) images.size(0);
        int h = (int) images.size(1);
        int w = (int) images.size(2);
        int c = (int) images.size(3);
        if (Math.abs(dy) >= h || Math.abs(dx) >= w) {
            throw new IllegalArgumentException("shift: the shift (" + dy + ", " + dx + ") must be smaller than the "
                    + "image (" + h + " x " + w + ")");
        }
        int[] rows = new int[h];
        int[] cols = new int[w];
        for (int y = 0; y < h; y++) {
            rows[y] = reflect(y + dy, h);
        }
        for (int x = 0; x < w; x++) {
            cols[x] = reflect(x + dx, w);
        }
        remap(images, rows, cols, into);
    }

    /**
     * {@code into[n, y, x, c] = images[n, rows[y], cols[x], c]}: the one pixel-copy loop of {@link #mirror} and
     * {@link #shift}, on float or double buffers, writing {@code into}'s buffer directly when it owns exactly its
     * elements (else through {@code assign}, e.g. into a view).
     */
    private static void remap(INDArray images, int[] rows, int[] cols, INDArray into) {
        int n = (int) images.size(0);
        int h = rows.length;
        int w = cols.length;
        int c = (int) images.size(3);
        int per = h * w * c;
        boolean contiguous = !into.isView() && into.ordering() == 'c' && into.data().length() == into.length();
        if (images.dataType() == DataType.FLOAT) {
            float[] in = plain(images).data().asFloat();
            float[] out = new float[in.length];
            for (int k = 0; k < n; k++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        System.arraycopy(in, k * per + (rows[y] * w + cols[x]) * c, out, k * per + (y * w + x) * c, c);
                    }
                }
            }
            if (contiguous) {
                into.data().setData(out);
            } else {
                into.assign(Nd4j.createFromArray(out).reshape(into.shape()));
            }
        } else {
            double[] in = plain(images).data().asDouble();
            double[] out = new double[in.length];
            for (int k = 0; k < n; k++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        System.arraycopy(in, k * per + (rows[y] * w + cols[x]) * c, out, k * per + (y * w + x) * c, c);
                    }
                }
            }
            if (contiguous && images.dataType() == DataType.DOUBLE) {
                into.data().setData(out);
            } else {
                into.assign(Nd4j.createFromArray(out).reshape(into.shape()).castTo(into.dataType()));
            }
        }
    }

    /** Index {@code i} reflected into {@code 0 .. length-1} (no edge repeat, as torch's 'reflect'), for |shift| < length. */
    private static int reflect(int i, int length) {
        return i < 0 ? -i : i >= length ? 2 * (length - 1) - i : i;
    }

    private static void checkTarget(String what, INDArray images, INDArray into) {
        if (images.rank() != 4) {
            throw new IllegalArgumentException(what + " needs images [batch, height, width, channels], got "
                    + Arrays.toString(images.shape()));
        }
        if (!Arrays.equals(images.shape(), into.shape()) || images.dataType() != into.dataType() || into == images) {
            throw new IllegalArgumentException(what + ": the target must be another array of the images' shape "
                    + Arrays.toString(images.shape()) + " and type " + images.dataType() + ", got "
                    + (into == images ? "the images themselves" : into.dataType() + " "
                    + Arrays.toString(into.shape())));
        }
    }

    /** {@code a} itself if it owns its whole buffer in row-major order, else a row-major copy. */
    private static INDArray plain(INDArray a) {
        return !a.isView() && a.ordering() == 'c' && a.data().length() == a.length() ? a : a.dup('c');
    }

    /** Whether this augmentation changes anything at all. */
    @Override
    public boolean isIdentity() {
        return padding == 0 && !flip;
    }

    @Override
    public String toString() {
        if (isIdentity()) {
            return "none";
        }
        String crop = padding > 0 ? "random crop (padding " + padding + ")" : "";
        String f = flip ? "horizontal flip" : "";
        return crop.isEmpty() ? f : f.isEmpty() ? crop : crop + " + " + f;
    }
}
