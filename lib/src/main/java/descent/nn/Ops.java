package descent.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.transforms.comparison.CompareAndSet;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Thin wrappers around libnd4j's native ops, writing into caller-owned arrays (no allocation per call). In FLOAT,
 * conv2d / conv2d_bp / maxpool2d / maxpool2d_bp run on oneDNN (the {@code onednn} classifier); in DOUBLE, oneDNN
 * has no kernels and libnd4j's generic loops run instead. On a CPU without AVX-512 the FLOAT convolutions call
 * oneDNN itself on the NHWC arrays ({@link OneDnnConv}: libnd4j's helper would reorder every activation there), and
 * with AVX-512 those whose input channels are not a multiple of 16; batch normalization in training calls it too.
 *
 * <p>Argument conventions of libnd4j (1.0.0-M2.1): conv2d integer args are
 * {@code kH, kW, sH, sW, pH, pW, dH, dW, paddingMode (0 = explicit), dataFormat (1 = NHWC),
 * weightFormat (1 = [oC, iC, kH, kW], PyTorch's)}; maxpool2d's are
 * {@code kH, kW, sH, sW, pH, pW, dH, dW, paddingMode, extraParam (unused), dataFormat (1 = NHWC)}.
 */
public final class Ops {

    private Ops() {
    }

    public static void exec(String op, INDArray[] in, INDArray[] out, int... iArgs) {
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(in).addOutputs(out).addIntegerArguments(iArgs).build());
    }

    /** {@code y = conv(x, w) + b}, NHWC, stride 1, dilation 1, explicit padding; {@code b} may be null. */
    public static void conv2d(INDArray x, INDArray w, INDArray b, INDArray y, int k, int pad) {
        if (OneDnnConv.takes(x.size(3)) && OneDnnConv.accepts(x, w, b, y)) {
            OneDnnConv.forward(x, w, b, y, k, pad);
            return;
        }
        INDArray[] in = b == null ? new INDArray[] {x, w} : new INDArray[] {x, w, b};
        exec("conv2d", in, new INDArray[] {y}, k, k, 1, 1, pad, pad, 1, 1, 0, 1, 1);
    }

    /** Gradients of {@link #conv2d}: into gx, gw and (if b is not null) gb. */
    public static void conv2dBackward(INDArray x, INDArray w, INDArray b, INDArray gy, INDArray gx, INDArray gw,
                               INDArray gb, int k, int pad) {
        if (OneDnnConv.takes(x.size(3)) && OneDnnConv.accepts(x, w, gy, gx, gw, gb)) {
            OneDnnConv.backward(x, w, gy, gx, gw, gb, k, pad);
            return;
        }
        INDArray[] in = b == null ? new INDArray[] {x, w, gy} : new INDArray[] {x, w, b, gy};
        INDArray[] out = b == null ? new INDArray[] {gx, gw} : new INDArray[] {gx, gw, gb};
        exec("conv2d_bp", in, out, k, k, 1, 1, pad, pad, 1, 1, 0, 1, 1);
    }

    /** Max pooling with a k x k window and stride k, NHWC. */
    public static void maxPool(INDArray x, INDArray y, int k) {
        exec("maxpool2d", new INDArray[] {x}, new INDArray[] {y}, k, k, k, k, 0, 0, 1, 1, 0, 0, 1);
    }

    /** Gradient of {@link #maxPool}: routes each gy to the position of its window's maximum. */
    public static void maxPoolBackward(INDArray x, INDArray gy, INDArray gx, int k) {
        exec("maxpool2d_bp", new INDArray[] {x, gy}, new INDArray[] {gx}, k, k, k, k, 0, 0, 1, 1, 0, 0, 1);
    }

    /** {@code y = max(x, 0)}; y may be x. */
    public static void relu(INDArray x, INDArray y) {
        Nd4j.exec(DynamicCustomOp.builder("relu").addInputs(x).addOutputs(y).addFloatingPointArguments(0.0).build());
    }

    /**
     * {@code gx = (y <= 0) ? y : gy} where y is the ReLU output, so 0 where the input was not positive (y is then 0
     * or -0) and gy elsewhere, a NaN output included: PyTorch's {@code threshold_backward} rule. gx may be gy. One
     * compare-and-set pass (libnd4j's {@code CompareAndSet}, condition on y); libnd4j's {@code relu_bp} computes the
     * same finite values at about half the speed (and 0 where y is NaN).
     */
    public static void reluBackward(INDArray y, INDArray gy, INDArray gx) {
        Nd4j.exec(new CompareAndSet(gy, y, gx, Conditions.lessThanOrEqual(0.0)));
    }

    /**
     * Batch normalization in training mode of an {@code [n, h, w, c]} array, on oneDNN where the convolutions run
     * there ({@link OneDnnBatchNorm}): fills {@code mean} and the biased {@code var} per channel and writes
     * {@code y = gamma (x - mean) / sqrt(var + eps) + beta}. Returns false, touching nothing, where that path is not
     * taken (another CPU, another data type or rank): then the caller computes it.
     */
    public static boolean batchNormTraining(INDArray x, INDArray gamma, INDArray beta, double eps, INDArray y,
                                            INDArray mean, INDArray var) {
        if (!OneDnnBatchNorm.accepts(x)) {
            return false;
        }
        OneDnnBatchNorm.forward(x, gamma, beta, eps, y, mean, var);
        return true;
    }

    /**
     * The backward pass of {@link #batchNormTraining} (same x, gamma, beta, mean, var, eps): per channel
     * {@code gGamma = sum(gy xhat)} and {@code gBeta = sum(gy)}, and {@code gx}; false, touching nothing, where that
     * path is not taken.
     */
    public static boolean batchNormTrainingBackward(INDArray x, INDArray gamma, INDArray beta, INDArray mean,
                                                    INDArray var, double eps, INDArray gy, INDArray gx,
                                                    INDArray gGamma, INDArray gBeta) {
        if (!OneDnnBatchNorm.accepts(x)) {
            return false;
        }
        OneDnnBatchNorm.backward(x, gamma, beta, mean, var, eps, gy, gx, gGamma, gBeta);
        return true;
    }

    /** {@code z[i, j] = x[i, j] * row[j]} for a {@code [m, n]} matrix and an n-vector; z may be x. */
    public static void mulRow(INDArray x, INDArray row, INDArray z) {
        Nd4j.exec(new BroadcastMulOp(x, row.reshape(row.length()), z, 1));
    }

    /** {@code z[i, j] = x[i, j] - row[j]}; z may be x. */
    public static void subRow(INDArray x, INDArray row, INDArray z) {
        Nd4j.exec(new BroadcastSubOp(x, row.reshape(row.length()), z, 1));
    }

    /** {@code z[i, j] = x[i, j] + row[j]}; z may be x. */
    public static void addRow(INDArray x, INDArray row, INDArray z) {
        Nd4j.exec(new BroadcastAddOp(x, row.reshape(row.length()), z, 1));
    }

    /** {@code z = a + b} elementwise, same shapes; z may be a or b. */
    public static void add(INDArray a, INDArray b, INDArray z) {
        Nd4j.exec(new AddOp(a, b, z));
    }

    /** {@code z = a * b} elementwise, same shapes; z may be a or b. */
    public static void mul(INDArray a, INDArray b, INDArray z) {
        Nd4j.exec(new MulOp(a, b, z));
    }

    /** {@code z = a - b} elementwise, same shapes; z may be a or b. */
    public static void sub(INDArray a, INDArray b, INDArray z) {
        Nd4j.exec(new SubOp(a, b, z));
    }

    /** {@code c = op(a) * op(b)} (overwrites c). */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB) {
        Nd4j.gemm(a, b, c, transA, transB, 1.0, 0.0);
    }
}
