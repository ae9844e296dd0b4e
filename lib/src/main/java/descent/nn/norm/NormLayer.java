package descent.nn.norm;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What BatchNorm, LayerNorm and InstanceNorm share: normalize over some axes, then scale and shift
 * with a learnable {@code gamma} and {@code beta}.
 *
 * <pre>
 *   mean   = mean_R(x)                         R = the axes the statistics are taken over
 *   var    = mean_R((x - mean)^2)              biased (divide by m = number of elements in R)
 *   xhat   = (x - mean) / sqrt(var + eps)
 *   y      = gamma * xhat + beta               gamma, beta broadcast over the axes they don't cover
 * </pre>
 *
 * Backward, with {@code dy} the upstream gradient dL/dy and the statistics computed from x itself:
 *
 * <pre>
 *   dxhat  = dy * gamma
 *   dx     = (dxhat - mean_R(dxhat) - xhat * mean_R(dxhat * xhat)) / sqrt(var + eps)
 *   dgamma = sum over the axes gamma is broadcast over of (dy * xhat)
 *   dbeta  = sum over the same axes of dy
 * </pre>
 *
 * Everything is computed in double precision with ND4J array operations; inputs of another floating
 * type are converted to DOUBLE and the outputs are DOUBLE. Defaults follow PyTorch: {@code eps = 1e-5},
 * {@code gamma = 1}, {@code beta = 0}.
 *
 * @param <T> the concrete layer, so that the fluent setters keep its type
 */
public abstract class NormLayer<T extends NormLayer<T>> {

    /** Learnable scale, shape {@link #parameterShape()}. Updated in place by optimizers. */
    protected final INDArray gamma;
    /** Learnable shift, shape {@link #parameterShape()}. */
    protected final INDArray beta;
    /** dL/dgamma from the last {@link #backward}, or null before it. */
    protected INDArray gradGamma;
    /** dL/dbeta from the last {@link #backward}, or null before it. */
    protected INDArray gradBeta;
    /** Added to the variance before the square root. */
    protected double eps = 1e-5;

    // Cache of the last forward pass, read by backward.
    /** x normalized by the statistics used in the last forward. */
    protected INDArray xhat;
    /** 1 / sqrt(var + eps), broadcastable against x (singleton axes kept). */
    protected INDArray invStd;
    /** Whether the last forward used statistics of its own input (true) or fixed ones (false). */
    protected boolean statsFromInput;

    protected NormLayer(long[] parameterShape) {
        for (long s : parameterShape) {
            if (s < 1) {
                throw new IllegalArgumentException("parameter shape must be positive, got "
                        + Arrays.toString(parameterShape));
            }
        }
        this.gamma = Nd4j.ones(DataType.DOUBLE, parameterShape);
        this.beta = Nd4j.zeros(DataType.DOUBLE, parameterShape);
    }

    /** Axes of x the mean and variance are taken over. */
    protected abstract int[] statisticAxes(INDArray x);

    /** Shape that gamma and beta are reshaped to so they broadcast against x. */
    protected abstract long[] broadcastShape(INDArray x);

    /** Checks that x has a shape this layer accepts; throws IllegalArgumentException naming it. */
    protected abstract void checkInput(INDArray x);

    /** {@code this}, typed as the concrete layer. */
    protected abstract T self();

    /** Short name used in messages. */
    protected abstract String name();

    /** Normalizes x, scales by gamma and shifts by beta; remembers what backward needs. */
    public INDArray forward(INDArray x) {
        x = asDouble(x, "x");
        checkInput(x);
        int[] axes = statisticAxes(x);
        INDArray mean = x.mean(true, axes);
        INDArray centered = x.sub(mean);
        INDArray var = centered.mul(centered).mean(true, axes);
        onBatchStatistics(mean, var, elementsPerStatistic(x, axes));
        INDArray[] used = statisticsForForward(mean, var);
        statsFromInput = used[0] == mean;
        invStd = Transforms.pow(used[1].add(eps), -0.5, false);
        xhat = (statsFromInput ? centered : x.sub(used[0])).muli(invStd);
        long[] b = broadcastShape(x);
        return xhat.mul(gamma.reshape(b)).add(beta.reshape(b));
    }

    /**
     * Gradient of the loss with respect to the input of the last {@link #forward}, given
     * {@code gradOutput} = dL/dy; also stores dL/dgamma and dL/dbeta ({@link #gradGamma()}, {@link #gradBeta()}).
     */
    public INDArray backward(INDArray gradOutput) {
        if (xhat == null) {
            throw new IllegalStateException(name() + ": backward called before forward");
        }
        gradOutput = asDouble(gradOutput, "gradOutput");
        if (!Arrays.equals(gradOutput.shape(), xhat.shape())) {
            throw new IllegalArgumentException(name() + ": gradOutput shape " + Arrays.toString(gradOutput.shape())
                    + " does not match the last input's shape " + Arrays.toString(xhat.shape()));
        }
        long[] b = broadcastShape(xhat);
        int[] paramAxes = parameterSumAxes(b);
        gradGamma = sumTo(gradOutput.mul(xhat), paramAxes);
        gradBeta = sumTo(gradOutput, paramAxes);
        INDArray dxhat = gradOutput.mul(gamma.reshape(b));
        if (!statsFromInput) {
            return dxhat.muli(invStd);
        }
        int[] axes = statisticAxes(xhat);
        INDArray meanDxhat = dxhat.mean(true, axes);
        INDArray meanDxhatXhat = dxhat.mul(xhat).mean(true, axes);
        return dxhat.subi(meanDxhat).subi(xhat.mul(meanDxhatXhat)).muli(invStd);
    }

    /** Hook for BatchNorm's running statistics; called with the batch mean and biased variance. */
    protected void onBatchStatistics(INDArray mean, INDArray biasedVar, long m) {
    }

    /** The mean and variance to normalize with; by default those of the input. */
    protected INDArray[] statisticsForForward(INDArray batchMean, INDArray batchVar) {
        return new INDArray[] {batchMean, batchVar};
    }

    /** Sums over the axes where {@code broadcast} is 1 and reshapes to gamma's shape. */
    private INDArray sumTo(INDArray a, int[] axes) {
        return a.sum(axes).reshape(gamma.shape());
    }

    private static int[] parameterSumAxes(long[] broadcast) {
        return java.util.stream.IntStream.range(0, broadcast.length).filter(i -> broadcast[i] == 1).toArray();
    }

    private static long elementsPerStatistic(INDArray x, int[] axes) {
        long m = 1;
        for (int a : axes) {
            m *= x.size(a);
        }
        return m;
    }

    /** Sets eps (added to the variance); must be finite and non-negative. Default 1e-5. */
    public T eps(double eps) {
        if (!Double.isFinite(eps) || eps < 0) {
            throw new IllegalArgumentException(name() + ": eps must be finite and >= 0, got " + eps);
        }
        this.eps = eps;
        return self();
    }

    public double eps() {
        return eps;
    }

    /** The learnable scale itself (not a copy); an optimizer may update it in place. */
    public INDArray gamma() {
        return gamma;
    }

    /** The learnable shift itself (not a copy). */
    public INDArray beta() {
        return beta;
    }

    /** Copies {@code values} into gamma; the shape must equal gamma's. */
    public T gamma(INDArray values) {
        assignChecked(gamma, values, "gamma");
        return self();
    }

    /** Copies {@code values} into beta; the shape must equal beta's. */
    public T beta(INDArray values) {
        assignChecked(beta, values, "beta");
        return self();
    }

    /** dL/dgamma from the last backward (null before it). */
    public INDArray gradGamma() {
        return gradGamma;
    }

    /** dL/dbeta from the last backward (null before it). */
    public INDArray gradBeta() {
        return gradBeta;
    }

    /** Shape of gamma and beta. */
    public long[] parameterShape() {
        return gamma.shape();
    }

    /** {@code {"gamma": gamma, "beta": beta}}, the live arrays (insertion ordered). */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("gamma", gamma);
        p.put("beta", beta);
        return p;
    }

    /** {@code {"gamma": dL/dgamma, "beta": dL/dbeta}} from the last backward. */
    public Map<String, INDArray> gradients() {
        if (gradGamma == null) {
            throw new IllegalStateException(name() + ": no gradients yet, call backward first");
        }
        Map<String, INDArray> g = new LinkedHashMap<>();
        g.put("gamma", gradGamma);
        g.put("beta", gradBeta);
        return g;
    }

    private void assignChecked(INDArray target, INDArray values, String what) {
        if (values == null) {
            throw new IllegalArgumentException(name() + ": " + what + " must not be null");
        }
        if (!Arrays.equals(target.shape(), values.shape())) {
            throw new IllegalArgumentException(name() + ": " + what + " must have shape "
                    + Arrays.toString(target.shape()) + ", got " + Arrays.toString(values.shape()));
        }
        target.assign(asDouble(values, what));
    }

    /** Converts a floating array to DOUBLE; rejects null and non-floating types. */
    protected INDArray asDouble(INDArray a, String what) {
        if (a == null) {
            throw new IllegalArgumentException(name() + ": " + what + " must not be null");
        }
        if (!a.dataType().isFPType()) {
            throw new IllegalArgumentException(name() + ": " + what + " must be a floating-point array, got "
                    + a.dataType());
        }
        return a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.DOUBLE);
    }
}
