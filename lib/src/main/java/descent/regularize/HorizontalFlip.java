package descent.regularize;

import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random horizontal flip, torchvision's {@code RandomHorizontalFlip(p)} applied per image:
 *
 * <pre>
 *   for each image n, with probability p:  out[n, c, h, w] = x[n, c, h, W - 1 - w]
 *                     otherwise:           out[n] = x[n]
 * </pre>
 *
 * Flipping is its own inverse: {@code flip(flip(x)) == x}. Coins come from a {@link java.util.Random}
 * seeded with {@code seed} ({@code nextDouble() < p}, image by image).
 */
public final class HorizontalFlip implements Augmentation {

    private final double p;
    private final long seed;
    private final Random rng;

    /** @param p probability of flipping each image, in [0, 1] (torchvision's default is 0.5) */
    public HorizontalFlip(double p, long seed) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("HorizontalFlip: probability p must be in [0, 1], got " + p);
        }
        this.p = p;
        this.seed = seed;
        this.rng = new Random(seed);
    }

    /** Flips every image of {@code images} [N, C, H, W] left-right (a new array). */
    public static INDArray flip(INDArray images) {
        Checks.images("HorizontalFlip", images);
        INDArray out = Nd4j.create(images.dataType(), images.shape());
        Nd4j.exec(new Reverse(images, out, 3));
        return out;
    }

    @Override
    public INDArray apply(INDArray images) {
        Checks.images("HorizontalFlip", images);
        INDArray out = images.dup();
        INDArray flipped = null;
        for (long k = 0; k < images.size(0); k++) {
            if (rng.nextDouble() < p) {
                if (flipped == null) {
                    flipped = flip(images);
                }
                out.slice(k).assign(flipped.slice(k));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "HorizontalFlip(p=" + p + ", seed=" + seed + ")";
    }
}
