package descent.loss;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/** Input checks and conversions shared by the losses. */
final class Inputs {

    private Inputs() {}

    /** Throws unless prediction and target have exactly the same shape (no broadcasting). */
    static void requireSameShape(String loss, INDArray prediction, INDArray target) {
        requireNonNull(loss, prediction, target);
        if (!Arrays.equals(prediction.shape(), target.shape())) {
            throw new IllegalArgumentException(loss + ": prediction shape " + Arrays.toString(prediction.shape())
                    + " and target shape " + Arrays.toString(target.shape()) + " differ; they must be equal");
        }
        if (prediction.length() == 0) {
            throw new IllegalArgumentException(loss + ": prediction is empty, shape "
                    + Arrays.toString(prediction.shape()));
        }
    }

    static void requireNonNull(String loss, INDArray prediction, INDArray target) {
        if (prediction == null || target == null) {
            throw new IllegalArgumentException(loss + ": " + (prediction == null ? "prediction" : "target")
                    + " is null");
        }
    }

    /**
     * The elements of {@code array} in row-major (c) order as doubles; throws if one is NaN or infinite.
     *
     * @param what "prediction" or "target", for the message
     */
    static double[] finiteValues(String loss, String what, INDArray array) {
        double[] values = array.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(loss + ": " + what + " has " + values[i] + " at "
                        + index(array.shape(), i) + "; values must be finite");
            }
        }
        return values;
    }

    /** An array of the given row-major values, shaped and typed like {@code like}. */
    static INDArray arrayLike(double[] values, INDArray like) {
        INDArray out = Nd4j.create(values, like.shape(), 'c');
        DataType type = like.dataType();
        return type.isFPType() && type != DataType.DOUBLE ? out.castTo(type) : out;
    }

    /** The multi-index of row-major linear index {@code i} in an array of this shape, e.g. "[2, 0]". */
    static String index(long[] shape, long i) {
        if (shape.length == 0) {
            return "[]";
        }
        return Arrays.toString(Shape.ind2subC(shape, i));
    }

    /**
     * Checks that logits and target are [N, C] with C &gt;= 2 and that each target row is one-hot;
     * returns the class index of each row.
     */
    static int[] requireLogitsAndOneHot(String loss, INDArray logits, INDArray target) {
        requireNonNull(loss, logits, target);
        if (logits.rank() != 2 || !Arrays.equals(logits.shape(), target.shape())) {
            throw new IllegalArgumentException(loss + ": needs logits [N, C] and one-hot target [N, C]; got"
                    + " prediction shape " + Arrays.toString(logits.shape()) + " and target shape "
                    + Arrays.toString(target.shape()));
        }
        long n = logits.size(0);
        long c = logits.size(1);
        if (n == 0) {
            throw new IllegalArgumentException(loss + ": prediction is empty, shape "
                    + Arrays.toString(logits.shape()));
        }
        if (c < 2) {
            throw new IllegalArgumentException(loss + ": needs at least 2 classes (columns), got shape "
                    + Arrays.toString(logits.shape()) + "; for one output per example use bce on probabilities");
        }
        double[] y = finiteValues(loss, "target", target);
        int[] classes = new int[(int) n];
        for (int i = 0; i < n; i++) {
            int hot = -1;
            boolean ok = true;
            for (int j = 0; j < c; j++) {
                double v = y[(int) (i * c + j)];
                if (v == 1.0 && hot < 0) {
                    hot = j;
                } else if (v != 0.0) {
                    ok = false;
                }
            }
            if (!ok || hot < 0) {
                double[] row = Arrays.copyOfRange(y, (int) (i * c), (int) ((i + 1) * c));
                throw new IllegalArgumentException(loss + ": target row " + i + " is not one-hot: "
                        + Arrays.toString(row) + "; each row needs exactly one 1.0 and zeros elsewhere");
            }
            classes[i] = hot;
        }
        return classes;
    }

    /** log(sum_j exp(z[from + j])) over {@code c} entries, computed stably as max + log(sum exp(z - max)). */
    static double logSumExp(double[] z, int from, int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, z[from + j]);
        }
        double sum = 0.0;
        for (int j = 0; j < c; j++) {
            sum += Math.exp(z[from + j] - max);
        }
        return max + Math.log(sum);
    }

    /** Throws unless {@code value} is finite and &gt;= 0 (or &gt; 0 when {@code strictlyPositive}). */
    static double requireOption(String loss, String key, double value, boolean strictlyPositive) {
        if (!Double.isFinite(value) || value < 0 || (strictlyPositive && value == 0)) {
            throw new IllegalArgumentException(loss + ": option '" + key + "' must be finite and "
                    + (strictlyPositive ? "> 0" : ">= 0") + ", got " + value);
        }
        return value;
    }
}
