package descent.data;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Examples {@code indices[0], indices[1], ...} of another dataset, as a view: {@link #fill} translates the trainer's
 * order through {@code indices} and lets the underlying dataset fill the batch, so no example is copied (only the
 * index array is held). See {@link Dataset#subset(int[])} and {@link Dataset#holdout(int, long)}.
 */
final class Subset implements Dataset {

    private final Dataset data;
    private final int[] indices;

    Subset(Dataset data, int[] indices) {
        this.data = data;
        this.indices = indices.clone();
        for (int k = 0; k < this.indices.length; k++) {
            int i = this.indices[k];
            if (i < 0 || i >= data.size()) {
                throw new IllegalArgumentException("subset: index " + i + " at position " + k + " is outside 0.."
                        + (data.size() - 1));
            }
        }
    }

    @Override
    public int size() {
        return indices.length;
    }

    /** Index in the underlying dataset of this subset's example {@code k}. */
    int index(int k) {
        return indices[k];
    }

    @Override
    public long[] featureShape() {
        return data.featureShape();
    }

    @Override
    public long[] targetShape() {
        return data.targetShape();
    }

    @Override
    public long[] featureBatchShape(long count) {
        return data.featureBatchShape(count);
    }

    @Override
    public long[] targetBatchShape(long count) {
        return data.targetBatchShape(count);
    }

    @Override
    public boolean isClassification() {
        return data.isClassification();
    }

    @Override
    public List<String> classNames() {
        return data.classNames();
    }

    @Override
    public void fill(int[] order, int from, int count, Augmentation augmentation, SplittableRandom rng, INDArray x,
                     INDArray y) {
        Batches.check("subset", this, order, from, count, x, y);
        int[] translated = new int[count];
        for (int k = 0; k < count; k++) {
            translated[k] = indices[order[from + k]];
        }
        data.fill(translated, 0, count, augmentation, rng, x, y);
    }

    @Override
    public String toString() {
        return "Subset[" + indices.length + " of " + data.size() + " examples of " + data + "]";
    }
}
