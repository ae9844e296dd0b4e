package descent.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@link Dataset#of}: examples are rows of two arrays. */
final class ArrayDataset implements Dataset {

    private final INDArray features;
    private final INDArray targets;
    private final boolean classification;

    ArrayDataset(INDArray features, INDArray targets) {
        if (features == null || targets == null) {
            throw new IllegalArgumentException("Dataset.of: features and targets must not be null");
        }
        if (features.rank() < 2 || targets.rank() < 2) {
            throw new IllegalArgumentException("Dataset.of: features and targets need a row per example (rank >= 2), "
                    + "got features " + Arrays.toString(features.shape()) + " and targets "
                    + Arrays.toString(targets.shape()) + "; reshape a vector of n values to [n, 1]");
        }
        if (features.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("Dataset.of: " + features.size(0) + " feature rows but "
                    + targets.size(0) + " target rows");
        }
        if (features.size(0) == 0) {
            throw new IllegalArgumentException("Dataset.of: no examples");
        }
        if (!features.dataType().isFPType() || !targets.dataType().isFPType()) {
            throw new IllegalArgumentException("Dataset.of: features and targets must be floating-point arrays, got "
                    + features.dataType() + " and " + targets.dataType());
        }
        for (INDArray a : new INDArray[] {features, targets}) {
            double s = a.sumNumber().doubleValue();
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("Dataset.of: " + (a == features ? "features" : "targets")
                        + " hold NaN or infinite values");
            }
        }
        this.features = features;
        this.targets = targets;
        this.classification = isOneHot(targets);
    }

    /** Every row one 1 and otherwise 0s, with at least two columns. */
    private static boolean isOneHot(INDArray t) {
        if (t.rank() != 2 || t.size(1) < 2) {
            return false;
        }
        double[] v = t.dup('c').data().asDouble();
        int c = (int) t.size(1);
        for (int i = 0; i < v.length; i += c) {
            int ones = 0;
            for (int j = 0; j < c; j++) {
                if (v[i + j] == 1) {
                    ones++;
                } else if (v[i + j] != 0) {
                    return false;
                }
            }
            if (ones != 1) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int size() {
        return (int) features.size(0);
    }

    @Override
    public long[] featureShape() {
        return Arrays.copyOfRange(features.shape(), 1, features.rank());
    }

    @Override
    public long[] targetShape() {
        return Arrays.copyOfRange(targets.shape(), 1, targets.rank());
    }

    @Override
    public boolean isClassification() {
        return classification;
    }

    @Override
    public void fill(int[] order, int from, int count, Augmentation augmentation, SplittableRandom rng, INDArray x,
                     INDArray y) {
        Batches.check("Dataset", this, order, from, count, x, y);
        boolean consecutive = count > 0;
        for (int k = 1; k < count && consecutive; k++) {
            consecutive = order[from + k] == order[from] + k;
        }
        if (consecutive) {      // e.g. evaluation in data order: one copy per array
            x.assign(features.get(NDArrayIndex.interval(order[from], order[from] + count)));
            y.assign(targets.get(NDArrayIndex.interval(order[from], order[from] + count)));
            augmentation.apply(x, rng);
            return;
        }
        for (int k = 0; k < count; k++) {
            int i = order[from + k];
            x.get(NDArrayIndex.point(k)).assign(features.get(NDArrayIndex.point(i)));
            y.get(NDArrayIndex.point(k)).assign(targets.get(NDArrayIndex.point(i)));
        }
        augmentation.apply(x, rng);
    }

    @Override
    public String toString() {
        return "Dataset[" + size() + " examples, features " + Arrays.toString(featureShape()) + ", targets "
                + Arrays.toString(targetShape()) + (classification ? ", one-hot" : "") + "]";
    }
}
