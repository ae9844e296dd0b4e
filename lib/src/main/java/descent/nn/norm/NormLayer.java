package descent.nn.norm;

import descent.nn.Layer;
import descent.nn.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What BatchNorm, LayerNorm and InstanceNorm share: normalize over some axes, then scale and shift with a learnable
 * {@code gamma} and {@code beta}. These are {@link Layer}s: they go into a {@link descent.nn.Sequential} like any
 * other (their gamma and beta then live in the network's parameter vector, torch's {@code weight} and {@code bias}),
 * and they also work on their own: {@code new BatchNorm(3).forward(x, true)} gives the layer parameters of its own
 * in x's data type. Images are channels last, {@code [N, H, W, C]}, as everywhere in the library.
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
 * This class computes exactly these lines with ND4J array operations, in the input's data type ({@link #forward} and
 * {@link #backward} below). Defaults follow PyTorch: {@code eps = 1e-5}, {@code gamma = 1}, {@code beta = 0}.
 * Training or evaluation mode is the {@code training} argument of {@code forward}, as for every layer.
 *
 * @param <T> the concrete layer, so that the fluent setters keep its type
 */
public abstract class NormLayer<T extends NormLayer<T>> extends Layer {

    private final long[] parameterShape;
    private final long parameterCount;
    /** Learnable scale and shift (views into the network's parameters), and their gradients. */
    protected INDArray gamma;
    protected INDArray beta;
    protected INDArray gradGamma;
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
                throw new IllegalArgumentException(name() + ": parameter shape must be positive, got "
                        + Arrays.toString(parameterShape));
            }
        }
        this.parameterShape = parameterShape.clone();
        this.parameterCount = Arrays.stream(parameterShape).reduce(1, (a, b) -> a * b);
    }

    /** Axes of x the mean and variance are taken over. */
    protected abstract int[] statisticAxes(INDArray x);

    /** Shape that gamma and beta are reshaped to so they broadcast against x. */
    protected abstract long[] broadcastShape(INDArray x);

    /** Checks that a batch x has a shape this layer accepts in this mode; throws IllegalArgumentException naming it. */
    protected abstract void checkInput(INDArray x, boolean training);

    /** {@code this}, typed as the concrete layer. */
    protected abstract T self();

    /** Short name used in messages. */
    protected abstract String name();

    @Override
    public long numParams() {
        return 2 * parameterCount;
    }

    @Override
    protected void bind(INDArray params, INDArray grads, INDArray buffers) {
        gamma = params.get(NDArrayIndex.interval(0, parameterCount)).reshape(parameterShape);
        beta = params.get(NDArrayIndex.interval(parameterCount, 2 * parameterCount)).reshape(parameterShape);
        gradGamma = grads.get(NDArrayIndex.interval(0, parameterCount)).reshape(parameterShape);
        gradBeta = grads.get(NDArrayIndex.interval(parameterCount, 2 * parameterCount)).reshape(parameterShape);
    }

    @Override
    protected void initialize(SplittableRandom rng) {
        gamma.assign(1.0);
        beta.assign(0.0);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("weight", gamma, gradGamma), new Parameter("bias", beta, gradBeta));
    }

    @Override
    public long[] outputShape(long[] perExample) {
        checkInput(batchOf(perExample), false);
        return perExample.clone();
    }

    /** A zero array of shape [2, perExample...] for shape checks (2 examples, so a BatchNorm check passes). */
    private INDArray batchOf(long[] perExample) {
        long[] s = new long[perExample.length + 1];
        s[0] = 2;
        System.arraycopy(perExample, 0, s, 1, perExample.length);
        return org.nd4j.linalg.factory.Nd4j.create(dtype, s);
    }

    /** Normalizes x, scales by gamma and shifts by beta; remembers what backward needs. */
    @Override
    public INDArray forward(INDArray x, boolean training) {
        checkFloating(x, "x");
        ensureBound(x.dataType());
        checkType(x, "x");
        checkInput(x, training);
        return formulaForward(x, training);
    }

    /** The formula of the class comment, line by line. */
    protected INDArray formulaForward(INDArray x, boolean training) {
        int[] axes = statisticAxes(x);
        INDArray mean = x.mean(true, axes);
        INDArray centered = x.sub(mean);
        INDArray var = centered.mul(centered).mean(true, axes);
        INDArray[] used = statistics(mean, var, elementsPerStatistic(x, axes), training);
        statsFromInput = used[0] == mean;
        invStd = Transforms.pow(used[1].add(eps), -0.5, false);
        xhat = (statsFromInput ? centered : x.sub(used[0])).muli(invStd);
        long[] b = broadcastShape(x);
        return xhat.mul(gamma.reshape(b)).add(beta.reshape(b));
    }

    /**
     * Given {@code gradOutput} = dL/dy of the last {@link #forward}, writes dL/dgamma and dL/dbeta into the gradient
     * ({@link #gradGamma()}, {@link #gradBeta()}) and returns dL/dx.
     */
    @Override
    public INDArray backward(INDArray gradOutput) {
        if (xhat == null) {
            throw new IllegalStateException(name() + ": backward called before forward");
        }
        checkFloating(gradOutput, "gradOutput");
        checkType(gradOutput, "gradOutput");
        if (!Arrays.equals(gradOutput.shape(), xhat.shape())) {
            throw new IllegalArgumentException(name() + ": gradOutput shape " + Arrays.toString(gradOutput.shape())
                    + " does not match the last input's shape " + Arrays.toString(xhat.shape()));
        }
        return formulaBackward(gradOutput);
    }

    /** The backward formula of the class comment, line by line. */
    protected INDArray formulaBackward(INDArray gradOutput) {
        long[] b = broadcastShape(xhat);
        int[] paramAxes = IntStream.range(0, b.length).filter(i -> b[i] == 1).toArray();
        gradGamma.assign(gradOutput.mul(xhat).sum(paramAxes).reshape(parameterShape));
        gradBeta.assign(gradOutput.sum(paramAxes).reshape(parameterShape));
        INDArray dxhat = gradOutput.mul(gamma.reshape(b));
        if (!statsFromInput) {
            return dxhat.muli(invStd);
        }
        int[] axes = statisticAxes(xhat);
        INDArray meanDxhat = dxhat.mean(true, axes);
        INDArray meanDxhatXhat = dxhat.mul(xhat).mean(true, axes);
        return dxhat.subi(meanDxhat).subi(xhat.mul(meanDxhatXhat)).muli(invStd);
    }

    /**
     * The mean and variance to normalize with, given the batch's (and the elements per statistic m); by default the
     * batch's own. BatchNorm uses and updates its running statistics here.
     */
    protected INDArray[] statistics(INDArray batchMean, INDArray batchVar, long m, boolean training) {
        return new INDArray[] {batchMean, batchVar};
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

    /** The learnable scale itself (a view; before the first forward, a layer on its own has FLOAT parameters). */
    public INDArray gamma() {
        ensureBound(dtype);
        return gamma;
    }

    /** The learnable shift itself. */
    public INDArray beta() {
        ensureBound(dtype);
        return beta;
    }

    /** Copies {@code values} into gamma; the shape must equal {@link #parameterShape()}. */
    public T gamma(INDArray values) {
        assignChecked(true, values, "gamma");
        return self();
    }

    /** Copies {@code values} into beta; the shape must equal {@link #parameterShape()}. */
    public T beta(INDArray values) {
        assignChecked(false, values, "beta");
        return self();
    }

    /** dL/dgamma from the last backward. */
    public INDArray gradGamma() {
        ensureBound(dtype);
        return gradGamma;
    }

    /** dL/dbeta from the last backward. */
    public INDArray gradBeta() {
        ensureBound(dtype);
        return gradBeta;
    }

    /** Shape of gamma and beta. */
    public long[] parameterShape() {
        return parameterShape.clone();
    }

    private void assignChecked(boolean isGamma, INDArray values, String what) {
        checkFloating(values, what);
        if (!Arrays.equals(parameterShape, values.shape())) {
            throw new IllegalArgumentException(name() + ": " + what + " must have shape "
                    + Arrays.toString(parameterShape) + ", got " + Arrays.toString(values.shape()));
        }
        ensureBound(values.dataType());
        (isGamma ? gamma : beta).assign(values.castTo(dtype));
    }

    private void checkFloating(INDArray a, String what) {
        if (a == null) {
            throw new IllegalArgumentException(name() + ": " + what + " must not be null");
        }
        if (!a.dataType().isFPType()) {
            throw new IllegalArgumentException(name() + ": " + what + " must be a floating-point array, got "
                    + a.dataType());
        }
    }

    private void checkType(INDArray a, String what) {
        if (a.dataType() != dtype) {
            throw new IllegalArgumentException(name() + ": " + what + " is " + a.dataType() + " but the layer's "
                    + "parameters are " + dtype);
        }
    }
}
