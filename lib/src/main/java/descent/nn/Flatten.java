package descent.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reshapes {@code [batch, h, w, c]} to {@code [batch, h*w*c]} without copying.
 *
 * <p>Difference from PyTorch: activations here are NHWC, so the flattened order is (h, w, c), while
 * {@code torch.flatten} of an NCHW tensor gives (c, h, w). The next {@link Linear}'s weight columns are permuted
 * accordingly: {@code W_here[:, (h*W + w)*C + c] = W_torch[:, (c*H + h)*W + w]}. The function computed is the
 * same; only the parameter layout differs (copying to (c, h, w) order would cost a strided transpose per batch).
 */
public final class Flatten extends Layer {

    private long[] inShape;

    @Override
    public String describe() {
        return "Flatten";
    }

    @Override
    public long[] outputShape(long[] s) {
        return new long[] {Arrays.stream(s).reduce(1, (a, b) -> a * b)};
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        inShape = x.shape();
        INDArray c = isDense(x) ? x : x.dup('c');
        return c.reshape(x.size(0), x.length() / x.size(0));
    }

    @Override
    public INDArray backward(INDArray gy) {
        return gy.reshape(inShape);
    }
}
