package descent.optim;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Gradient clipping, as {@code torch.nn.utils.clip_grad_value_} and {@code clip_grad_norm_}.
 * Both modify the gradients in place. Non-finite gradients are rejected with an
 * {@link IllegalArgumentException} (torch 1.13 would propagate NaN or, for the norm, only raise
 * with {@code error_if_nonfinite=True}).
 */
public final class Clip {

    private Clip() {}

    /**
     * Clamps every entry of {@code grad} to {@code [-clipValue, clipValue]} in place (torch
     * {@code clip_grad_value_}).
     *
     * @return {@code grad}
     */
    public static INDArray byValue(INDArray grad, double clipValue) {
        checkLimit("clipValue", clipValue);
        Options.checkFinite("Clip.byValue", "grad", grad);
        grad.assign(Transforms.min(Transforms.max(grad, -clipValue, true), clipValue, false));
        return grad;
    }

    /** {@link #byValue(INDArray, double)} for each gradient. */
    public static void byValue(List<INDArray> grads, double clipValue) {
        checkLimit("clipValue", clipValue);
        for (INDArray g : grads) {
            byValue(g, clipValue);
        }
    }

    /**
     * The 2-norm of all gradients together, as if concatenated into one vector:
     * {@code sqrt(sum_i ||g_i||^2)}.
     */
    public static double globalNorm(List<INDArray> grads) {
        double sumOfSquares = 0;
        for (int i = 0; i < grads.size(); i++) {
            Options.checkFinite("Clip.globalNorm", "grads[" + i + "]", grads.get(i));
            double n = grads.get(i).norm2Number().doubleValue();
            sumOfSquares += n * n;
        }
        return Math.sqrt(sumOfSquares);
    }

    /**
     * Rescales all gradients together so that their global 2-norm is at most {@code maxNorm}
     * (torch {@code clip_grad_norm_}, norm_type 2):
     *
     * <pre>
     * total = sqrt(sum_i ||g_i||&sup2;)
     * coef  = maxNorm / (total + 1e-6)
     * if coef &lt; 1:  g_i &larr; coef &middot; g_i  for every i
     * </pre>
     *
     * Note the {@code 1e-6}: a total norm just below {@code maxNorm} (within 1e-6) is still
     * scaled, by a factor just below 1, as in torch.
     *
     * @return the total norm BEFORE clipping
     */
    public static double byGlobalNorm(List<INDArray> grads, double maxNorm) {
        checkLimit("maxNorm", maxNorm);
        double total = globalNorm(grads);
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1) {
            for (INDArray g : grads) {
                g.muli(coef);
            }
        }
        return total;
    }

    /** {@link #byGlobalNorm(List, double)} for gradients given as arguments. */
    public static double byGlobalNorm(double maxNorm, INDArray... grads) {
        return byGlobalNorm(Arrays.asList(grads), maxNorm);
    }

    private static void checkLimit(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("Clip: " + what + " must be finite and >= 0, got " + v);
        }
    }
}
