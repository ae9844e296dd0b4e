package descent.regularize;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Additive Gaussian noise:
 *
 * <pre>
 *   out = x + std * z,     z_i ~ Normal(0, 1) independent, fresh for every call
 * </pre>
 *
 * Seeded: ND4J's native generator, reproducible for this ND4J version. No clipping is applied.
 */
public final class GaussianNoise implements Augmentation {

    private final double std;
    private final long seed;
    private final Random rng;

    /** @param std standard deviation of the noise, finite and >= 0 */
    public GaussianNoise(double std, long seed) {
        this.std = Checks.nonNegative("GaussianNoise", "std", std);
        this.seed = seed;
        this.rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    @Override
    public INDArray apply(INDArray images) {
        Checks.images("GaussianNoise", images);
        if (!images.dataType().isFPType()) {
            throw new IllegalArgumentException("GaussianNoise: images must be floating-point, got "
                    + images.dataType());
        }
        INDArray z = Nd4j.createUninitialized(images.dataType(), images.shape());
        Nd4j.randn(z, rng);
        return z.muli(std).addi(images);
    }

    @Override
    public String toString() {
        return "GaussianNoise(std=" + std + ", seed=" + seed + ")";
    }
}
