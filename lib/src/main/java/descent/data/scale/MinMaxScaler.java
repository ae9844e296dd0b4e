package descent.data.scale;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Min-max scaling per feature to {@code [lo, hi]} (default [0, 1]), as scikit-learn's {@code MinMaxScaler}:
 *
 * <pre>
 *   fit:        min_f, max_f over the training data;  range_f = max_f - min_f, or 1 if that is 0
 *   transform:  z = lo + (x - min) / range * (hi - lo)
 *   inverse:    x = (z - lo) / (hi - lo) * range + min
 * </pre>
 *
 * Constant features (range 0) get {@code range = 1} (sklearn's rule): they map to {@code lo + (x - min)},
 * i.e. {@code lo} on the training data. Test values outside the training range land outside
 * {@code [lo, hi]}: nothing is clipped (sklearn's default {@code clip=False}).
 */
public final class MinMaxScaler implements Scaler {

    private final double lo;
    private final double hi;
    private INDArray min;
    private INDArray range;
    private long[] constantFeatures;

    /** Scales to [0, 1]. */
    public MinMaxScaler() {
        this(0.0, 1.0);
    }

    /** Scales to [lo, hi]; both finite, lo &lt; hi. */
    public MinMaxScaler(double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) {
            throw new IllegalArgumentException("MinMaxScaler: range must be finite with lo < hi, got [" + lo + ", "
                    + hi + "]");
        }
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    public MinMaxScaler fit(INDArray train) {
        INDArray x = FeatureStats.checkTrain("MinMaxScaler", train);
        int[] axes = FeatureStats.reductionAxes(x);
        INDArray mn = x.min(axes);
        INDArray r = x.max(axes).subi(mn);
        INDArray constant = r.eq(0.0).castTo(r.dataType());
        this.min = mn;
        this.range = r.addi(constant); // 0 -> 1
        this.constantFeatures = FeatureStats.indicesWhere(constant);
        return this;
    }

    @Override
    public INDArray transform(INDArray x) {
        INDArray d = FeatureStats.checkTransform("MinMaxScaler", "transform", x, numFeatures(), isFitted());
        long[] b = FeatureStats.broadcast(d, min.length());
        return d.sub(min.reshape(b)).divi(range.reshape(b)).muli(hi - lo).addi(lo);
    }

    @Override
    public INDArray inverseTransform(INDArray z) {
        INDArray d = FeatureStats.checkTransform("MinMaxScaler", "inverseTransform", z, numFeatures(), isFitted());
        long[] b = FeatureStats.broadcast(d, min.length());
        return d.sub(lo).divi(hi - lo).muli(range.reshape(b)).addi(min.reshape(b));
    }

    @Override
    public boolean isFitted() {
        return min != null;
    }

    @Override
    public long numFeatures() {
        return isFitted() ? min.length() : 0;
    }

    /** Per-feature training minimum (a copy). */
    public INDArray min() {
        requireFitted();
        return min.dup();
    }

    /** Per-feature training range max - min (a copy), 1 for constant features. */
    public INDArray range() {
        requireFitted();
        return range.dup();
    }

    /** Indices of the features that were constant in the training data. */
    public long[] constantFeatures() {
        requireFitted();
        return constantFeatures.clone();
    }

    public double lo() {
        return lo;
    }

    public double hi() {
        return hi;
    }

    private void requireFitted() {
        if (!isFitted()) {
            throw new IllegalStateException("MinMaxScaler: call fit(train) first");
        }
    }

    @Override
    public String toString() {
        return isFitted() ? "MinMaxScaler([" + lo + ", " + hi + "], min=" + min + ", range=" + range + ")"
                : "MinMaxScaler([" + lo + ", " + hi + "], unfitted)";
    }
}
