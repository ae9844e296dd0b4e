package descent.regularize;

import java.util.Arrays;
import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Random crop after zero padding, torchvision's {@code RandomCrop(size, padding)} applied per image:
 *
 * <pre>
 *   padded = x with {@code padding} zeros added on every side of H and W   [N, C, H + 2p, W + 2p]
 *   for each image n:  i ~ Uniform{0, ..., H + 2p - cropHeight},  j ~ Uniform{0, ..., W + 2p - cropWidth}
 *                      out[n] = padded[n, :, i : i + cropHeight, j : j + cropWidth]
 * </pre>
 *
 * The classic CIFAR recipe is {@code new RandomCrop(4, seed)}: pad by 4, crop back to H x W, i.e. shift
 * each image by up to 4 pixels. With padding 0 and the crop the size of the image it is the identity.
 * Offsets come from a {@link java.util.Random} seeded with {@code seed} (i, then j, image by image).
 */
public final class RandomCrop implements Augmentation {

    private final int cropHeight;
    private final int cropWidth;
    private final int padding;
    private final long seed;
    private final Random rng;

    /** Pads by {@code padding} and crops back to the input's own height and width. */
    public RandomCrop(int padding, long seed) {
        this(-1, -1, padding, seed);
    }

    /** Pads by {@code padding} and crops {@code cropHeight x cropWidth}. */
    public RandomCrop(int cropHeight, int cropWidth, int padding, long seed) {
        if (padding < 0) {
            throw new IllegalArgumentException("RandomCrop: padding must be >= 0, got " + padding);
        }
        if ((cropHeight != -1 || cropWidth != -1) && (cropHeight < 1 || cropWidth < 1)) {
            throw new IllegalArgumentException("RandomCrop: crop size must be >= 1, got " + cropHeight + " x "
                    + cropWidth);
        }
        this.cropHeight = cropHeight;
        this.cropWidth = cropWidth;
        this.padding = padding;
        this.seed = seed;
        this.rng = new Random(seed);
    }

    @Override
    public INDArray apply(INDArray images) {
        Checks.images("RandomCrop", images);
        long n = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
        long ch = cropHeight == -1 ? h : cropHeight;
        long cw = cropWidth == -1 ? w : cropWidth;
        long ph = h + 2L * padding, pw = w + 2L * padding;
        if (ch > ph || cw > pw) {
            throw new IllegalArgumentException("RandomCrop: crop " + ch + " x " + cw + " does not fit images "
                    + Arrays.toString(images.shape()) + " padded by " + padding);
        }
        INDArray padded = Nd4j.zeros(images.dataType(), n, c, ph, pw);
        padded.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(padding, padding + h),
                NDArrayIndex.interval(padding, padding + w)).assign(images);
        INDArray out = Nd4j.create(images.dataType(), n, c, ch, cw);
        for (long k = 0; k < n; k++) {
            int i = rng.nextInt((int) (ph - ch + 1));
            int j = rng.nextInt((int) (pw - cw + 1));
            out.get(NDArrayIndex.point(k), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(padded.get(NDArrayIndex.point(k), NDArrayIndex.all(),
                            NDArrayIndex.interval(i, i + ch), NDArrayIndex.interval(j, j + cw)));
        }
        return out;
    }

    @Override
    public String toString() {
        String size = cropHeight == -1 ? "same" : cropHeight + "x" + cropWidth;
        return "RandomCrop(size=" + size + ", padding=" + padding + ", seed=" + seed + ")";
    }
}
