package descent.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multiplication by a fixed constant, no parameters:
 * <pre>
 *   y  = c * x
 *   dx = c * dy
 * </pre>
 * E.g. airbench94 scales the last linear layer's output by {@code c = 1/9} (logits of a smaller scale, as a
 * temperature, without changing what the network can express).
 */
public final class Scale extends Layer {

    private final double c;

    /** {@code y = c * x}; c must be finite. */
    public Scale(double c) {
        if (!Double.isFinite(c)) {
            throw new IllegalArgumentException("Scale: the factor must be finite, got " + c);
        }
        this.c = c;
    }

    /** The factor c. */
    public double factor() {
        return c;
    }

    @Override
    public String describe() {
        return "Scale(" + c + ")";
    }

    @Override
    public long[] outputShape(long[] s) {
        return s.clone();
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        ensureBound(x.dataType());   // on its own: the input's data type
        // Not in place: the layer before may need its own output for its backward pass (ReLU, Tanh, Sigmoid).
        INDArray y = buffer(0, x.shape());
        x.mul(c, y);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        if (!inputGradNeeded) {
            return null;
        }
        INDArray gx = buffer(1, gy.shape());
        gy.mul(c, gx);
        return gx;
    }
}
