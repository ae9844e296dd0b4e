package descent.data.scale;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Standardization (z-score) per feature, as scikit-learn's {@code StandardScaler}:
 *
 * <pre>
 *   fit:        mean_f = mean of feature f over the training data
 *               std_f  = sqrt(mean((x_f - mean_f)^2))            BIASED (ddof = 0), as sklearn
 *               scale_f = std_f, or 1 if feature f is constant in the training data
 *   transform:  z = (x - mean) / scale
 *   inverse:    x = z * scale + mean
 * </pre>
 *
 * Constant (zero-variance) features, i.e. max == min over the training data, get {@code scale = 1}
 * (sklearn's rule), so they map to {@code x - mean}: 0 on the training data, never a division by zero.
 * ND4J's {@code NormalizerStandardize} differs exactly there: it uses {@code std = 1e-5} for them
 * (so an unseen value v maps to (v - mean) * 1e5); for every other feature the two agree.
 */
public final class StandardScaler implements Scaler {

    private INDArray mean;
    private INDArray scale;
    private long[] constantFeatures;

    @Override
    public StandardScaler fit(INDArray train) {
        INDArray x = FeatureStats.checkTrain("StandardScaler", train);
        int[] axes = FeatureStats.reductionAxes(x);
        INDArray m = x.mean(axes);
        INDArray std = Transforms.sqrt(x.var(false, axes), false);
        INDArray constant = x.max(axes).eq(x.min(axes)).castTo(m.dataType());
        // scale = std where not constant, 1 where constant
        INDArray s = std.mul(constant.rsub(1.0)).addi(constant);
        this.mean = m;
        this.scale = s;
        this.constantFeatures = FeatureStats.indicesWhere(constant);
        return this;
    }

    @Override
    public INDArray transform(INDArray x) {
        INDArray d = FeatureStats.checkTransform("StandardScaler", "transform", x, numFeatures(), isFitted());
        long[] b = FeatureStats.broadcast(d, mean.length());
        return d.sub(mean.reshape(b)).divi(scale.reshape(b));
    }

    @Override
    public INDArray inverseTransform(INDArray z) {
        INDArray d = FeatureStats.checkTransform("StandardScaler", "inverseTransform", z, numFeatures(),
                isFitted());
        long[] b = FeatureStats.broadcast(d, mean.length());
        return d.mul(scale.reshape(b)).addi(mean.reshape(b));
    }

    @Override
    public boolean isFitted() {
        return mean != null;
    }

    @Override
    public long numFeatures() {
        return isFitted() ? mean.length() : 0;
    }

    /** Per-feature training mean (a copy), shape [F]. */
    public INDArray mean() {
        requireFitted();
        return mean.dup();
    }

    /** Per-feature scale (a copy): the biased std, 1 for constant features. */
    public INDArray scale() {
        requireFitted();
        return scale.dup();
    }

    /** Indices of the features that were constant in the training data. */
    public long[] constantFeatures() {
        requireFitted();
        return constantFeatures.clone();
    }

    private void requireFitted() {
        if (!isFitted()) {
            throw new IllegalStateException("StandardScaler: call fit(train) first");
        }
    }

    @Override
    public String toString() {
        return isFitted() ? "StandardScaler(mean=" + mean + ", scale=" + scale + ")" : "StandardScaler(unfitted)";
    }
}
