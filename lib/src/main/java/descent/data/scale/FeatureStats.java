package descent.data.scale;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shared plumbing of the scalers: checks, axes, broadcasting. */
final class FeatureStats {

    private FeatureStats() {
    }

    /** Checks a training array and returns it as DOUBLE. */
    static INDArray checkTrain(String owner, INDArray train) {
        INDArray x = checkArray(owner, "training data", train);
        if (x.size(0) < 1) {
            throw new IllegalArgumentException(owner + ": training data has no examples, shape "
                    + Arrays.toString(x.shape()));
        }
        double sum = x.sumNumber().doubleValue();
        if (!Double.isFinite(sum)) {
            INDArray perFeature = x.sum(reductionAxes(x));
            List<Long> bad = new ArrayList<>();
            for (long f = 0; f < perFeature.length(); f++) {
                if (!Double.isFinite(perFeature.getDouble(f))) {
                    bad.add(f);
                }
            }
            throw new IllegalArgumentException(owner + ": training data has NaN or infinite values in features "
                    + (bad.isEmpty() ? "(overflow in the sum)" : bad));
        }
        return x;
    }

    /** Checks an array to transform against the fitted number of features; returns it as DOUBLE. */
    static INDArray checkTransform(String owner, String what, INDArray x, long numFeatures, boolean fitted) {
        if (!fitted) {
            throw new IllegalStateException(owner + ": call fit(train) before " + what);
        }
        INDArray d = checkArray(owner, what + " input", x);
        if (d.size(1) != numFeatures) {
            throw new IllegalArgumentException(owner + ": fitted on " + numFeatures + " features (axis 1), got "
                    + what + " input of shape " + Arrays.toString(d.shape()));
        }
        return d;
    }

    private static INDArray checkArray(String owner, String what, INDArray x) {
        if (x == null) {
            throw new IllegalArgumentException(owner + ": " + what + " must not be null");
        }
        if (x.rank() < 2) {
            throw new IllegalArgumentException(owner + ": " + what + " must be [N, F] or [N, C, ...], got shape "
                    + Arrays.toString(x.shape()));
        }
        if (!x.dataType().isFPType()) {
            throw new IllegalArgumentException(owner + ": " + what + " must be floating-point, got " + x.dataType());
        }
        return x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE);
    }

    /** Every axis but 1. */
    static int[] reductionAxes(INDArray x) {
        return IntStream.range(0, x.rank()).filter(i -> i != 1).toArray();
    }

    /** Shape [1, F, 1, ...] of x's rank, to broadcast a per-feature vector against x. */
    static long[] broadcast(INDArray x, long numFeatures) {
        long[] b = new long[x.rank()];
        Arrays.fill(b, 1);
        b[1] = numFeatures;
        return b;
    }

    static long[] indicesWhere(INDArray mask01) {
        return IntStream.range(0, (int) mask01.length()).filter(i -> mask01.getDouble(i) != 0)
                .mapToLong(i -> i).toArray();
    }
}
