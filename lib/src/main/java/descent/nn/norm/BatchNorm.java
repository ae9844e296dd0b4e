package descent.nn.norm;

import descent.nn.Ops;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalization, PyTorch {@code nn.BatchNorm1d} / {@code nn.BatchNorm2d} with {@code affine=True,
 * track_running_stats=True}, channels last: one statistic per feature/channel (the LAST axis), taken over every
 * other axis: over N for {@code [N, F]}, over N, L for {@code [N, L, C]}, over N, H, W for {@code [N, H, W, C]}.
 *
 * <pre>
 * training (forward(x, true)):
 *   mean, var    = batch mean and BIASED batch variance per channel (m = elements per channel)
 *   y            = gamma * (x - mean) / sqrt(var + eps) + beta
 *   runningMean &lt;- (1 - momentum) * runningMean + momentum * mean
 *   runningVar  &lt;- (1 - momentum) * runningVar  + momentum * var * m / (m - 1)     (UNBIASED)
 * evaluation (forward(x, false)):
 *   y            = gamma * (x - runningMean) / sqrt(runningVar + eps) + beta
 *   dx           = dy * gamma / sqrt(runningVar + eps)          (the running statistics are constants)
 * backward (training), with dgamma = sum(dy * xhat), dbeta = sum(dy) per channel:
 *   dx           = gamma / sqrt(var + eps) * (dy - dbeta / m - xhat * dgamma / m)
 * </pre>
 *
 * This is exactly torch's convention: biased variance to normalize, unbiased variance in the running estimate.
 * Defaults as torch: {@code eps = 1e-5}, {@code momentum = 0.1}, {@code runningMean = 0}, {@code runningVar = 1},
 * {@code gamma = 1}, {@code beta = 0}. torch's {@code momentum=None} (a cumulative average) is not offered. Training
 * needs m &gt;= 2 values per channel (torch refuses m = 1 too). The running statistics are the network's buffers
 * (saved in checkpoints, not trained).
 *
 * <p><b>Two computations, one result.</b> By default the layer views x as an {@code [m, C]} matrix and computes the
 * channel sums as matrix products with a vector of ones (one pass over the data per line of the formula above, with
 * reused buffers: the fast path the CIFAR networks use). {@link #plain(boolean) plain(true)} runs
 * {@link NormLayer}'s line-by-line array formula instead; a test checks both give the same outputs, gradients and
 * running statistics. Wherever oneDNN's own library loads (the build ships it for Linux x86-64;
 * {@code descent.nn.OneDnnConv}), the fast path's training passes on {@code [N, H, W, C]} FLOAT inputs are oneDNN's
 * batch normalization ({@link Ops#batchNormTraining}), tested equal to the plain formula too; that backward pass reads
 * the input again, which the layer then keeps.
 *
 * <pre>{@code
 * BatchNorm bn = new BatchNorm(16).momentum(0.1);
 * INDArray y  = bn.forward(x, true);      // x: [N, H, W, 16], training mode
 * INDArray dx = bn.backward(dy);          // also fills bn.gradGamma(), bn.gradBeta()
 * INDArray yTest = bn.forward(xTest, false);   // uses the running statistics
 * }</pre>
 */
public final class BatchNorm extends NormLayer<BatchNorm> {

    private final int numFeatures;
    private double momentum = 0.1;
    private boolean plain;
    private long batchesTracked;
    private INDArray runningMean;
    private INDArray runningVar;

    // fast path state
    private long m;
    private boolean lastTraining;
    private long[] lastShape;
    private INDArray fastXhat;
    private INDArray fastInvStd;
    /** The input of the last training forward pass when oneDNN computed it (its backward pass reads it again). */
    private INDArray oneDnnInput;

    /** @param numFeatures the size of the last axis (features F or channels C) */
    public BatchNorm(int numFeatures) {
        super(new long[] {checkPositive(numFeatures)});
        this.numFeatures = numFeatures;
    }

    private static long checkPositive(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("BatchNorm: numFeatures must be >= 1, got " + n);
        }
        return n;
    }

    @Override
    public String describe() {
        return "BatchNorm(" + numFeatures + ")";
    }

    /** Sets the running-statistics momentum, in [0, 1] (torch's convention: weight of the NEW batch). */
    public BatchNorm momentum(double momentum) {
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm: momentum must be in [0, 1], got " + momentum);
        }
        this.momentum = momentum;
        return this;
    }

    public double momentum() {
        return momentum;
    }

    /** {@code true}: compute with the plain array formula of {@link NormLayer} instead of the fast path. */
    public BatchNorm plain(boolean plain) {
        this.plain = plain;
        return this;
    }

    @Override
    public long numBuffers() {
        return 2L * numFeatures;
    }

    @Override
    protected void bind(INDArray params, INDArray grads, INDArray buffers) {
        super.bind(params, grads, buffers);
        runningMean = buffers.get(NDArrayIndex.interval(0, numFeatures));
        runningVar = buffers.get(NDArrayIndex.interval(numFeatures, 2 * numFeatures));
    }

    @Override
    protected void initialize(SplittableRandom rng) {
        super.initialize(rng);
        runningMean.assign(0.0);
        runningVar.assign(1.0);
    }

    /** The running mean itself (a view of the network's buffers), shape [numFeatures]. */
    public INDArray runningMean() {
        ensureBound(dtype);
        return runningMean;
    }

    /** The running (unbiased) variance itself, shape [numFeatures]. */
    public INDArray runningVar() {
        ensureBound(dtype);
        return runningVar;
    }

    /** How many training-mode forward passes updated the running statistics (torch's num_batches_tracked). */
    public long batchesTracked() {
        return batchesTracked;
    }

    public int numFeatures() {
        return numFeatures;
    }

    @Override
    protected void checkInput(INDArray x, boolean training) {
        if (x.rank() < 2 || x.size(x.rank() - 1) != numFeatures) {
            throw new IllegalArgumentException("BatchNorm(" + numFeatures + "): expected input [N, " + numFeatures
                    + "], [N, L, " + numFeatures + "] or [N, H, W, " + numFeatures + "] (channels last), got "
                    + Arrays.toString(x.shape()));
        }
        long perChannel = x.length() / numFeatures;
        if (training && perChannel < 2) {
            throw new IllegalArgumentException("BatchNorm: training needs more than 1 value per channel, got input "
                    + Arrays.toString(x.shape()));
        }
    }

    @Override
    protected int[] statisticAxes(INDArray x) {
        return IntStream.range(0, x.rank() - 1).toArray();
    }

    @Override
    protected long[] broadcastShape(INDArray x) {
        long[] b = new long[x.rank()];
        Arrays.fill(b, 1);
        b[x.rank() - 1] = numFeatures;
        return b;
    }

    @Override
    protected INDArray[] statistics(INDArray batchMean, INDArray batchVar, long m, boolean training) {
        if (training) {
            updateRunningStatistics(batchMean, batchVar, m);
            return new INDArray[] {batchMean, batchVar};
        }
        long[] b = broadcastShape(batchMean);
        return new INDArray[] {runningMean.reshape(b), runningVar.reshape(b)};
    }

    /** The running averages take in a batch's mean and biased variance (stored unbiased: times m / (m - 1)). */
    private void updateRunningStatistics(INDArray mean, INDArray biasedVar, long m) {
        runningMean.muli(1 - momentum).addi(mean.reshape(numFeatures).mul(momentum));
        runningVar.muli(1 - momentum).addi(biasedVar.reshape(numFeatures).mul(momentum * m / (m - 1)));
        batchesTracked++;
    }

    @Override
    protected INDArray formulaForward(INDArray x, boolean training) {
        lastTraining = training;
        oneDnnInput = null;
        if (plain) {
            fastXhat = null;
            return super.formulaForward(x, training);
        }
        xhat = null;
        int c = numFeatures;
        m = x.length() / c;
        lastShape = x.shape();
        INDArray dense = isDense(x) ? x : x.dup('c');
        INDArray y = buffer(1, x.shape());
        INDArray mean = buffer(3, 1, c);
        INDArray var = buffer(4, 1, c);
        if (training && Ops.batchNormTraining(dense, gamma, beta, eps, y, mean, var)) {   // [n, h, w, c] on oneDNN
            fastXhat = null;
            oneDnnInput = dense;
            updateRunningStatistics(mean, var, m);
            return y;
        }
        INDArray x2 = dense.reshape(m, c);
        INDArray y2 = y.reshape(m, c);
        fastXhat = buffer(2, m, c);
        // One pass over the data per line below (the sums are matrix products with a vector of ones).
        if (training) {
            INDArray ones = ones(m);
            Ops.gemm(ones, x2, mean, false, false);
            mean.divi(m);
            Ops.subRow(x2, mean, fastXhat);                  // x - mu
            Ops.mul(fastXhat, fastXhat, y2);                 // (x - mu)^2, y as scratch
            Ops.gemm(ones, y2, var, false, false);
            var.divi(m);
            updateRunningStatistics(mean, var, m);
        } else {
            mean.assign(runningMean.reshape(1, c));
            var.assign(runningVar.reshape(1, c));
            Ops.subRow(x2, mean, fastXhat);
        }
        fastInvStd = Transforms.pow(var.add(eps), -0.5, false);
        Ops.mulRow(fastXhat, fastInvStd, fastXhat);          // xhat
        Ops.mulRow(fastXhat, gamma.reshape(1, c), y2);
        Ops.addRow(y2, beta.reshape(1, c), y2);              // y = gamma xhat + beta
        return y;
    }

    @Override
    protected INDArray formulaBackward(INDArray gy) {
        int c = numFeatures;
        if (oneDnnInput != null) {
            INDArray gx = buffer(6, gy.shape());
            if (!Ops.batchNormTrainingBackward(oneDnnInput, gamma, beta, buffer(3, 1, c), buffer(4, 1, c), eps,
                    isDense(gy) ? gy : gy.dup('c'), gx, gradGamma, gradBeta)) {
                throw new IllegalStateException("BatchNorm: oneDNN ran the forward pass but refused its backward pass");
            }
            return inputGradNeeded ? gx : null;
        }
        if (fastXhat == null) {
            return super.formulaBackward(gy);
        }
        INDArray gy2 = (isDense(gy) ? gy : gy.dup('c')).reshape(m, c);
        INDArray ones = ones(m);
        INDArray gGamma = gradGamma.reshape(1, c);
        INDArray gBeta = gradBeta.reshape(1, c);
        // The output buffer is free again (the layers after this one are done with it): use it as scratch.
        INDArray tmp = buffer(1, lastShape).reshape(m, c);
        Ops.mul(gy2, fastXhat, tmp);
        Ops.gemm(ones, tmp, gGamma, false, false);           // dgamma = sum(dy * xhat)
        Ops.gemm(ones, gy2, gBeta, false, false);            // dbeta = sum(dy)
        if (!inputGradNeeded) {
            return null;
        }
        INDArray gx = buffer(6, gy.shape());
        INDArray gx2 = gx.reshape(m, c);
        INDArray g = gamma.reshape(1, c);
        if (lastTraining) {
            Ops.mulRow(fastXhat, gGamma.div(m), tmp);        // xhat * dgamma / m
            Ops.sub(gy2, tmp, gx2);
            Ops.subRow(gx2, gBeta.div(m), gx2);              // dy - dbeta / m - xhat * dgamma / m
            Ops.mulRow(gx2, g.mul(fastInvStd), gx2);
        } else {
            Ops.mulRow(gy2, g.mul(fastInvStd), gx2);         // evaluation mode: mu and var are constants
        }
        return gx;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (fastXhat == null && oneDnnInput == null) {
            return super.backward(gradOutput);
        }
        if (gradOutput == null || !Arrays.equals(gradOutput.shape(), lastShape)
                || gradOutput.dataType() != dtype) {
            throw new IllegalArgumentException("BatchNorm: gradOutput must be " + dtype + " of the last input's shape "
                    + Arrays.toString(lastShape) + ", got " + (gradOutput == null ? "null"
                    : gradOutput.dataType() + " " + Arrays.toString(gradOutput.shape())));
        }
        return formulaBackward(gradOutput);
    }

    private INDArray ones(long rows) {
        INDArray o = buffer(0, 1, rows);
        if (o.getDouble(0) != 1.0 || o.getDouble(rows - 1) != 1.0) {
            o.assign(1.0);
        }
        return o;
    }

    @Override
    protected BatchNorm self() {
        return this;
    }

    @Override
    protected String name() {
        return "BatchNorm";
    }
}
