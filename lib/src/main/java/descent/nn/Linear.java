package descent.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Fully connected layer, as PyTorch's {@code nn.Linear}:
 * <pre>
 *   y  = x W^T + b          W: [out, in], b: [out]
 *   dW = dy^T x,   db = 1^T dy,   dx = dy W
 * </pre>
 * Initialization as PyTorch's by default: {@code W, b ~ Uniform(-1/sqrt(in), 1/sqrt(in))}; another scheme (Xavier, He)
 * with {@link #init(Init)} before the layer goes into a network:
 * {@code new Linear(64, 64).init(Init.HE_NORMAL)}.
 */
public final class Linear extends Layer {

    private final int in;
    private final int out;
    private INDArray w;
    private INDArray b;
    private INDArray gw;
    private INDArray gb;
    private INDArray x;
    private Init init = Init.TORCH_DEFAULT;

    public Linear(int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear needs in, out > 0, got in=" + in + " out=" + out);
        }
        this.in = in;
        this.out = out;
    }

    /** Sets how the weights (and bias) are initialized; see {@link Init}. Default {@link Init#TORCH_DEFAULT}. */
    public Linear init(Init scheme) {
        if (scheme == null) {
            throw new IllegalArgumentException("Linear.init: scheme must not be null");
        }
        if (bound) {
            throw new IllegalStateException(describe() + " already belongs to a network: set init before build()");
        }
        this.init = scheme;
        return this;
    }

    @Override
    public String describe() {
        return "Linear(" + in + "->" + out + ")";
    }

    @Override
    public long[] outputShape(long[] s) {
        if (s.length != 1 || s[0] != in) {
            throw new IllegalArgumentException(describe() + " expects per-example input [" + in + "], got " + shape(s)
                    + (s.length > 1 ? " (put a Flatten before it)" : ""));
        }
        return new long[] {out};
    }

    @Override
    public long numParams() {
        return (long) out * in + out;
    }

    @Override
    public long forwardFlops(long[] inputShape) {
        return 2L * in * out + out;
    }

    @Override
    public java.util.List<Parameter> parameters() {
        return java.util.List.of(new Parameter("weight", w, gw), new Parameter("bias", b, gb));
    }

    @Override
    protected void bind(INDArray params, INDArray grads, INDArray buffers) {
        long nw = (long) out * in;
        w = params.get(NDArrayIndex.interval(0, nw)).reshape(out, in);
        gw = grads.get(NDArrayIndex.interval(0, nw)).reshape(out, in);
        b = params.get(NDArrayIndex.interval(nw, nw + out));
        gb = grads.get(NDArrayIndex.interval(nw, nw + out));
    }

    @Override
    protected void initialize(SplittableRandom rng) {
        init.fill(w, b, in, out, rng);
    }

    /** Weight view {@code [out, in]}. */
    public INDArray weight() {
        return w;
    }

    /** Bias view {@code [out]}. */
    public INDArray bias() {
        return b;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        checkInput(describe(), input, new long[] {in});
        x = input;
        INDArray y = buffer(0, input.size(0), out);
        Ops.gemm(input, w, y, false, true);
        y.addiRowVector(b);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        Ops.gemm(gy, x, gw, true, false);
        INDArray ones = buffer(1, 1, gy.size(0));
        ones.assign(1.0);
        Ops.gemm(ones, gy, gb.reshape(1, out), false, false);
        if (!inputGradNeeded) {
            return null;
        }
        INDArray gx = buffer(2, x.shape());
        Ops.gemm(gy, w, gx, false, false);
        return gx;
    }
}
