package descent.data;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Examples with targets, read in batches: what a {@link descent.train.Trainer} trains on and evaluates. As torch's
 * {@code Dataset} + {@code DataLoader} in one small interface: the trainer chooses the order (a seeded permutation)
 * and owns the batch arrays; a dataset only fills them.
 *
 * <pre>{@code
 * Dataset train = Dataset.of(x, y);                       // in memory: x [N, ...features], y [N, ...targets]
 * Dataset cifar = Cifar10.train(dir);                     // images [32, 32, 3] (channels last), one-hot targets [10]
 * }</pre>
 *
 * <p>Images are channels last ({@code [height, width, channels]} per example) everywhere in the library.
 */
public interface Dataset {

    /** Number of examples. */
    int size();

    /** Shape of one example's features, e.g. {@code [32, 32, 3]} or {@code [2]}. */
    long[] featureShape();

    /** Shape of one example's target, e.g. {@code [10]} (one-hot) or {@code [1]}. */
    long[] targetShape();

    /** Shape of a batch of {@code count} examples' features: {@code [count, featureShape...]}. */
    default long[] featureBatchShape(long count) {
        return Batches.withBatch(count, featureShape());
    }

    /** Shape of a batch of {@code count} examples' targets: {@code [count, targetShape...]}. */
    default long[] targetBatchShape(long count) {
        return Batches.withBatch(count, targetShape());
    }

    /**
     * Whether the targets are one-hot class vectors (then accuracy is defined: the arg-max of a prediction against
     * the target's class).
     */
    boolean isClassification();

    /** Class names when {@link #isClassification()}: by default {@code "0", "1", ...}. */
    default List<String> classNames() {
        int c = (int) targetShape()[0];
        return java.util.stream.IntStream.range(0, c).mapToObj(Integer::toString).toList();
    }

    /**
     * Writes examples {@code order[from] .. order[from + count - 1]} into {@code x} ({@code [count,
     * featureShape...]}) and their targets into {@code y} ({@code [count, targetShape...]}), augmenting the features
     * with {@code augmentation} (random numbers from {@code rng}, in a fixed order per example).
     *
     * @param rng may be null when {@code augmentation} is {@link Augmentation#NONE}
     * @throws IllegalArgumentException if the arrays do not have those shapes, or the augmentation does not apply
     *     to these features (it needs images {@code [h, w, c]})
     */
    void fill(int[] order, int from, int count, Augmentation augmentation, SplittableRandom rng, INDArray x,
              INDArray y);

    /**
     * The examples at {@code indices}, in that order, as a view of this dataset: nothing is copied but the index
     * array (batches are filled by this dataset, with the same augmentation). As torch's
     * {@code torch.utils.data.Subset(dataset, indices)}.
     *
     * @throws IllegalArgumentException if an index is outside {@code 0 .. size() - 1}
     */
    default Dataset subset(int[] indices) {
        return new Subset(this, indices);
    }

    /**
     * Holds out {@code n} examples, drawn at random with {@code seed}, as a validation set; the others (in their
     * original order) are the training part. Both are {@linkplain #subset(int[]) views}: no example is copied, and
     * together they hold every example exactly once. The same seed gives the same split. As torch's
     * {@code random_split(dataset, [size - n, n], generator=torch.Generator().manual_seed(seed))} (a different
     * random permutation, the same idea).
     *
     * @throws IllegalArgumentException unless {@code 0 < n < size()}
     */
    default Holdout holdout(int n, long seed) {
        int size = size();
        if (n <= 0 || n >= size) {
            throw new IllegalArgumentException("holdout(" + n + "): need 0 < n < " + size + " (the dataset's size)");
        }
        int[] perm = java.util.stream.IntStream.range(0, size).toArray();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        for (int i = size - 1; i > 0; i--) {     // Fisher-Yates
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        boolean[] held = new boolean[size];
        int[] validation = java.util.Arrays.copyOf(perm, n);
        java.util.Arrays.sort(validation);
        for (int i : validation) {
            held[i] = true;
        }
        int[] train = new int[size - n];
        int k = 0;
        for (int i = 0; i < size; i++) {
            if (!held[i]) {
                train[k++] = i;
            }
        }
        return new Holdout(subset(train), subset(validation));
    }

    /** A dataset split by {@link #holdout(int, long)}: the training part and the held-out validation part. */
    record Holdout(Dataset train, Dataset validation) {
    }

    /**
     * An in-memory dataset: row {@code i} of {@code features} with row {@code i} of {@code targets}. The arrays are
     * used as they are (not copied); batches take the trainer's data type.
     *
     * @throws IllegalArgumentException if the row counts differ, an array has rank &lt; 2 (use {@code reshape(n, 1)}
     *     for one value per example), or a value is not finite
     */
    static Dataset of(INDArray features, INDArray targets) {
        return new ArrayDataset(features, targets);
    }
}
