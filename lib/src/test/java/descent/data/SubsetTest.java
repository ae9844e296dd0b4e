package descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SubsetTest {

    /** Example i has features {i, 10 i} and target {i}. */
    private static Dataset numbered(int n) {
        double[][] x = new double[n][];
        double[][] y = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {i, 10 * i};
            y[i] = new double[] {i};
        }
        return Dataset.of(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    /** The example numbers (the targets) of all of d, in order. */
    private static int[] numbers(Dataset d) {
        int n = d.size();
        INDArray x = Nd4j.create(DataType.DOUBLE, n, 2);
        INDArray y = Nd4j.create(DataType.DOUBLE, n, 1);
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        d.fill(order, 0, n, Augmentation.NONE, null, x, y);
        for (int k = 0; k < n; k++) {
            assertEquals(10 * y.getDouble(k, 0), x.getDouble(k, 1), 0, "features and target of the same example");
        }
        return Arrays.stream(y.toDoubleVector()).mapToInt(v -> (int) v).toArray();
    }

    @Test
    void aSubsetFillsTheUnderlyingExamplesInTheGivenOrder() {
        Dataset s = numbered(10).subset(new int[] {7, 2, 2, 9});
        assertEquals(4, s.size());
        assertArrayEquals(new int[] {7, 2, 2, 9}, numbers(s));
        INDArray x = Nd4j.create(DataType.DOUBLE, 2, 2);
        INDArray y = Nd4j.create(DataType.DOUBLE, 2, 1);
        s.fill(new int[] {3, 0, 1, 2}, 1, 2, Augmentation.NONE, null, x, y);   // subset examples 0 and 1
        assertArrayEquals(new double[] {7, 2}, y.toDoubleVector());
        assertThrows(IllegalArgumentException.class, () -> numbered(10).subset(new int[] {10}));
        assertThrows(IllegalArgumentException.class,
                () -> s.fill(new int[] {4}, 0, 1, Augmentation.NONE, null, Nd4j.create(DataType.DOUBLE, 1, 2),
                        Nd4j.create(DataType.DOUBLE, 1, 1)));
    }

    @Test
    void aHoldoutPartitionsTheExamplesReproduciblyWithoutCopyingThem() {
        Dataset data = numbered(100);
        Dataset.Holdout h = data.holdout(20, 7);
        assertEquals(80, h.train().size());
        assertEquals(20, h.validation().size());
        int[] train = numbers(h.train());
        int[] val = numbers(h.validation());
        TreeSet<Integer> all = new TreeSet<>();
        for (int i : train) {
            all.add(i);
        }
        for (int i : val) {
            all.add(i);
        }
        assertEquals(100, all.size(), "every example exactly once");
        assertArrayEquals(train, Arrays.stream(train).sorted().toArray(), "the training part keeps the original order");
        assertArrayEquals(val, numbers(data.holdout(20, 7).validation()), "same seed, same split");
        assertNotEquals(Arrays.toString(val), Arrays.toString(numbers(data.holdout(20, 8).validation())));
        assertNotEquals(Arrays.toString(java.util.stream.IntStream.range(80, 100).toArray()), Arrays.toString(val),
                "drawn at random, not the last 20");
        assertThrows(IllegalArgumentException.class, () -> data.holdout(0, 1));
        assertThrows(IllegalArgumentException.class, () -> data.holdout(100, 1));
    }

    @Test
    void aCifarSubsetAugmentsExactlyAsTheWholeSet() {
        byte[] labels = new byte[30];
        byte[] pixels = new byte[30 * Cifar10.IMAGE_BYTES];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) r.nextInt(10);
        }
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) r.nextInt(256);
        }
        Cifar10 cifar = Cifar10.of(labels, pixels, Cifar10.Split.TRAIN);
        Dataset.Holdout h = cifar.holdout(10, 1);
        Subset v = (Subset) h.validation();
        int[] mapped = new int[v.size()];
        for (int k = 0; k < v.size(); k++) {
            mapped[k] = v.index(k);
        }
        int[] order = {3, 1, 4, 0, 9};
        int[] direct = Arrays.stream(order).map(k -> mapped[k]).toArray();
        INDArray xs = Nd4j.create(DataType.FLOAT, 5, 32, 32, 3), ys = Nd4j.create(DataType.FLOAT, 5, 10);
        INDArray xc = Nd4j.create(DataType.FLOAT, 5, 32, 32, 3), yc = Nd4j.create(DataType.FLOAT, 5, 10);
        v.fill(order, 0, 5, Augmentation.cropAndFlip(4), new SplittableRandom(5), xs, ys);
        cifar.fill(direct, 0, 5, Augmentation.cropAndFlip(4), new SplittableRandom(5), xc, yc);
        assertEquals(xc, xs);
        assertEquals(yc, ys);
    }
}
