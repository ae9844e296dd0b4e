package descent.data;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adds {@code N(0, std^2)} noise to every value of a batch, in place: {@code x <- x + std * z}, {@code z} standard
 * normal, drawn value by value in memory order. {@code std = 0} is the identity.
 */
final class GaussianNoise implements Augmentation {

    private final double std;

    GaussianNoise(double std) {
        if (!(std >= 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("gaussianNoise: std must be finite and >= 0, got " + std);
        }
        this.std = std;
    }

    @Override
    public void apply(INDArray images, SplittableRandom rng) {
        if (std == 0) {
            return;
        }
        if (rng == null) {
            throw new IllegalArgumentException(this + " needs a random source, got null");
        }
        double[] z = new double[(int) images.length()];
        for (int i = 0; i < z.length; i++) {
            z[i] = std * rng.nextGaussian();
        }
        images.addi(Nd4j.createFromArray(z).reshape(images.shape()).castTo(images.dataType()));
    }

    @Override
    public boolean isIdentity() {
        return std == 0;
    }

    @Override
    public String toString() {
        return "gaussian noise (std " + std + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianNoise g && g.std == std;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(std);
    }
}
