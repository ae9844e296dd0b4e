package descent.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling over non-overlapping {@code k x k} windows (stride k), NHWC:
 * <pre>
 *   y[n, i, j, c] = max over 0 &lt;= u, v &lt; k of x[n, k*i + u, k*j + v, c]
 * </pre>
 * Backward routes each output gradient to the position of its window's maximum (libnd4j's
 * {@code maxpool2d_bp}, oneDNN in FLOAT). As torch's default ({@code ceil_mode=False}), a height or width that is
 * not a multiple of k drops its last rows or columns: 31 -> 15 with k = 2 (their gradient is 0).
 */
public final class MaxPool2d extends Layer {

    private final int k;
    private INDArray x;

    /** Pooling with a {@code k x k} window and stride k. */
    public MaxPool2d(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("MaxPool2d window must be > 0, got " + k);
        }
        this.k = k;
    }

    @Override
    public String describe() {
        return "MaxPool2d(" + k + "x" + k + ")";
    }

    @Override
    public long[] outputShape(long[] s) {
        if (s.length != 3 || s[0] < k || s[1] < k) {
            throw new IllegalArgumentException(describe() + " expects per-example input [height, width, channels] "
                    + "with height and width at least " + k + ", got " + shape(s));
        }
        return new long[] {s[0] / k, s[1] / k, s[2]};
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        x = input;
        INDArray y = buffer(0, input.size(0), input.size(1) / k, input.size(2) / k, input.size(3));
        Ops.maxPool(input, y, k);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray gx = buffer(1, x.shape());
        Ops.maxPoolBackward(x, gy, gx, k);
        return gx;
    }
}
