package descent.data;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument checks shared by the datasets' {@code fill}. */
final class Batches {

    private Batches() {
    }

    static void check(String who, Dataset d, int[] order, int from, int count, INDArray x, INDArray y) {
        if (order == null || x == null || y == null) {
            throw new IllegalArgumentException(who + ".fill: order, x and y must not be null");
        }
        if (from < 0 || count < 0 || from + count > order.length) {
            throw new IllegalArgumentException(who + ".fill: batch [" + from + ", " + (from + count)
                    + ") does not fit an order of length " + order.length);
        }
        long[] xs = d.featureBatchShape(count);
        long[] ys = d.targetBatchShape(count);
        if (!Arrays.equals(x.shape(), xs) || !Arrays.equals(y.shape(), ys)) {
            throw new IllegalArgumentException(who + ".fill: x must be " + Arrays.toString(xs) + " and y "
                    + Arrays.toString(ys) + ", got " + Arrays.toString(x.shape()) + " and "
                    + Arrays.toString(y.shape()));
        }
        for (int k = 0; k < count; k++) {
            int i = order[from + k];
            if (i < 0 || i >= d.size()) {
                throw new IllegalArgumentException(who + ".fill: index " + i + " is outside 0.." + (d.size() - 1));
            }
        }
    }

    static long[] withBatch(long n, long[] perExample) {
        long[] s = new long[perExample.length + 1];
        s[0] = n;
        System.arraycopy(perExample, 0, s, 1, perExample.length);
        return s;
    }
}
