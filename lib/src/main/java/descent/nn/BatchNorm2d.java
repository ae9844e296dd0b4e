package descent.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalization over the channels of NHWC activations ({@code [batch, h, w, C]}; also {@code [batch, C]}),
 * as PyTorch's {@code nn.BatchNorm2d(C)} (eps 1e-5, momentum 0.1). With the {@code M = batch*h*w} values of one
 * channel:
 * <pre>
 *   training:   mu = mean(x),  var = mean((x - mu)^2)                      (biased, used to normalize)
 *               running_mean = 0.9 running_mean + 0.1 mu
 *               running_var  = 0.9 running_var  + 0.1 var * M / (M - 1)   (unbiased, as PyTorch)
 *   evaluation: mu = running_mean, var = running_var
 *   xhat = (x - mu) / sqrt(var + eps),   y = gamma * xhat + beta
 *   backward (training):  dgamma = sum(dy * xhat),  dbeta = sum(dy),
 *                         dx = gamma / sqrt(var + eps) * (dy - dbeta / M - xhat * dgamma / M)
 * </pre>
 * gamma and beta are parameters (initialized to 1 and 0); the running statistics are buffers (not trained, but
 * saved in checkpoints). Channel sums are matrix products with a vector of ones, much faster in ND4J than a
 * column reduction.
 */
public final class BatchNorm2d extends Layer {

    private final int channels;
    private final double eps = 1e-5;
    private final double momentum = 0.1;

    private INDArray gamma;
    private INDArray beta;
    private INDArray gGamma;
    private INDArray gBeta;
    private INDArray runningMean;
    private INDArray runningVar;

    private INDArray xhat;
    private INDArray invStd;
    private long m;
    private boolean lastTraining;
    private long[] lastShape;

    public BatchNorm2d(int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("BatchNorm2d needs channels > 0, got " + channels);
        }
        this.channels = channels;
    }

    @Override
    public String describe() {
        return "BatchNorm2d(" + channels + ")";
    }

    @Override
    public long[] outputShape(long[] s) {
        if (s.length < 1 || s[s.length - 1] != channels) {
            throw new IllegalArgumentException(describe() + " expects per-example input [..., " + channels
                    + "] (channels last), got " + shape(s));
        }
        return s.clone();
    }

    @Override
    public long numParams() {
        return 2L * channels;
    }

    @Override
    public long numBuffers() {
        return 2L * channels;
    }

    @Override
    public java.util.List<Parameter> parameters() {
        return java.util.List.of(new Parameter("weight", gamma, gGamma), new Parameter("bias", beta, gBeta));
    }

    @Override
    void bind(INDArray params, INDArray grads, INDArray buffers) {
        gamma = params.get(NDArrayIndex.interval(0, channels)).reshape(1, channels);
        beta = params.get(NDArrayIndex.interval(channels, 2 * channels)).reshape(1, channels);
        gGamma = grads.get(NDArrayIndex.interval(0, channels)).reshape(1, channels);
        gBeta = grads.get(NDArrayIndex.interval(channels, 2 * channels)).reshape(1, channels);
        runningMean = buffers.get(NDArrayIndex.interval(0, channels)).reshape(1, channels);
        runningVar = buffers.get(NDArrayIndex.interval(channels, 2 * channels)).reshape(1, channels);
    }

    @Override
    void initialize(SplittableRandom rng) {
        gamma.assign(1.0);
        beta.assign(0.0);
        runningMean.assign(0.0);
        runningVar.assign(1.0);
    }

    /** Scale view {@code [1, C]} (PyTorch's {@code weight}). */
    public INDArray gamma() {
        return gamma;
    }

    /** Shift view {@code [1, C]} (PyTorch's {@code bias}). */
    public INDArray beta() {
        return beta;
    }

    /** Running mean view {@code [1, C]}. */
    public INDArray runningMean() {
        return runningMean;
    }

    /** Running variance view {@code [1, C]}. */
    public INDArray runningVar() {
        return runningVar;
    }

    private INDArray ones(long rows) {
        INDArray o = buffer(0, 1, rows);
        if (o.getDouble(0) != 1.0) {
            o.assign(1.0);
        }
        return o;
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        if (x.size(x.rank() - 1) != channels) {
            throw new IllegalArgumentException(describe() + " expects channels-last input with " + channels
                    + " channels, got " + shape(x.shape()));
        }
        m = x.length() / channels;
        lastShape = x.shape();
        lastTraining = training;
        INDArray x2 = (isDense(x) ? x : x.dup('c')).reshape(m, channels);
        INDArray y = buffer(1, x.shape());
        INDArray y2 = y.reshape(m, channels);
        xhat = buffer(2, m, channels);
        INDArray mean = buffer(3, 1, channels);
        INDArray var = buffer(4, 1, channels);
        // One pass over the data per line below (the sums are matrix products with a vector of ones).
        if (training) {
            INDArray ones = ones(m);
            Ops.gemm(ones, x2, mean, false, false);
            mean.divi(m);
            Ops.subRow(x2, mean, xhat);                      // x - mu
            Ops.mul(xhat, xhat, y2);                         // (x - mu)^2, y as scratch
            Ops.gemm(ones, y2, var, false, false);
            var.divi(m);
            runningMean.muli(1 - momentum).addi(mean.mul(momentum));
            runningVar.muli(1 - momentum).addi(var.mul(momentum * m / Math.max(1, m - 1)));
        } else {
            mean.assign(runningMean);
            var.assign(runningVar);
            Ops.subRow(x2, mean, xhat);
        }
        invStd = Transforms.pow(var.add(eps), -0.5, false);
        Ops.mulRow(xhat, invStd, xhat);                      // xhat
        Ops.mulRow(xhat, gamma, y2);
        Ops.addRow(y2, beta, y2);                            // y = gamma xhat + beta
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray gy2 = (isDense(gy) ? gy : gy.dup('c')).reshape(m, channels);
        INDArray ones = ones(m);
        // The output buffer is free again (the layers after this one are done with it): use it as scratch.
        INDArray tmp = buffer(1, lastShape).reshape(m, channels);
        Ops.mul(gy2, xhat, tmp);
        Ops.gemm(ones, tmp, gGamma, false, false);           // dgamma = sum(dy * xhat)
        Ops.gemm(ones, gy2, gBeta, false, false);            // dbeta = sum(dy)
        if (!inputGradNeeded) {
            return null;
        }
        INDArray gx = buffer(6, gy.shape());
        INDArray gx2 = gx.reshape(m, channels);
        if (lastTraining) {
            Ops.mulRow(xhat, gGamma.div(m), tmp);            // xhat * dgamma / M
            Ops.sub(gy2, tmp, gx2);
            Ops.subRow(gx2, gBeta.div(m), gx2);              // dy - dbeta / M - xhat * dgamma / M
            Ops.mulRow(gx2, gamma.mul(invStd), gx2);
        } else {
            Ops.mulRow(gy2, gamma.mul(invStd), gx2);         // evaluation mode: mu and var are constants
        }
        return gx;
    }
}
