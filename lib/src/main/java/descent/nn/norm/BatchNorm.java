package descent.nn.norm;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalization, PyTorch {@code nn.BatchNorm1d} / {@code nn.BatchNorm2d} with {@code affine=True,
 * track_running_stats=True}. One statistic per feature/channel (axis 1), taken over every other axis:
 * over N for {@code [N, F]}, over N, L for {@code [N, C, L]}, over N, H, W for {@code [N, C, H, W]}.
 *
 * <pre>
 * training mode (the default, as in torch):
 *   mean, var    = batch mean and BIASED batch variance per channel (m = elements per channel)
 *   y            = gamma * (x - mean) / sqrt(var + eps) + beta
 *   runningMean &lt;- (1 - momentum) * runningMean + momentum * mean
 *   runningVar  &lt;- (1 - momentum) * runningVar  + momentum * var * m / (m - 1)     (UNBIASED)
 * eval mode:
 *   y            = gamma * (x - runningMean) / sqrt(runningVar + eps) + beta
 *   dx           = dy * gamma / sqrt(runningVar + eps)          (the running statistics are constants)
 * </pre>
 *
 * This is exactly torch's convention: biased variance to normalize, unbiased variance in the running
 * estimate. Defaults as torch: {@code eps = 1e-5}, {@code momentum = 0.1}, {@code runningMean = 0},
 * {@code runningVar = 1}, {@code gamma = 1}, {@code beta = 0}. torch's {@code momentum=None} (a cumulative
 * average) is not offered. Training needs m &gt;= 2 values per channel (torch refuses m = 1 too).
 *
 * <pre>{@code
 * BatchNorm bn = new BatchNorm(16).momentum(0.1);
 * INDArray y  = bn.forward(x);          // x: [N, 16, H, W], training mode
 * INDArray dx = bn.backward(dy);        // also fills bn.gradGamma(), bn.gradBeta()
 * bn.eval();  INDArray yTest = bn.forward(xTest);   // uses the running statistics
 * }</pre>
 */
public final class BatchNorm extends NormLayer<BatchNorm> {

    private final long numFeatures;
    private final INDArray runningMean;
    private final INDArray runningVar;
    private double momentum = 0.1;
    private boolean training = true;
    private long batchesTracked;

    /** @param numFeatures the size of axis 1 (features F or channels C) */
    public BatchNorm(long numFeatures) {
        super(new long[] {checkPositive(numFeatures)});
        this.numFeatures = numFeatures;
        this.runningMean = Nd4j.zeros(DataType.DOUBLE, numFeatures);
        this.runningVar = Nd4j.ones(DataType.DOUBLE, numFeatures);
    }

    private static long checkPositive(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("BatchNorm: numFeatures must be >= 1, got " + n);
        }
        return n;
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

    /** Training mode: normalize with batch statistics and update the running ones. */
    public BatchNorm train() {
        training = true;
        return this;
    }

    /** Eval mode: normalize with the running statistics; nothing is updated. */
    public BatchNorm eval() {
        training = false;
        return this;
    }

    public boolean isTraining() {
        return training;
    }

    /** The running mean itself, shape [numFeatures]. */
    public INDArray runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance itself, shape [numFeatures]. */
    public INDArray runningVar() {
        return runningVar;
    }

    /** How many training-mode forward passes updated the running statistics (torch's num_batches_tracked). */
    public long batchesTracked() {
        return batchesTracked;
    }

    public long numFeatures() {
        return numFeatures;
    }

    @Override
    protected void checkInput(INDArray x) {
        if (x.rank() < 2 || x.rank() > 4 || x.size(1) != numFeatures) {
            throw new IllegalArgumentException("BatchNorm(" + numFeatures + "): expected input [N, " + numFeatures
                    + "], [N, " + numFeatures + ", L] or [N, " + numFeatures + ", H, W], got "
                    + Arrays.toString(x.shape()));
        }
        long m = x.length() / numFeatures;
        if (training && m < 2) {
            throw new IllegalArgumentException("BatchNorm: training needs more than 1 value per channel, got input "
                    + Arrays.toString(x.shape()));
        }
    }

    @Override
    protected int[] statisticAxes(INDArray x) {
        return IntStream.range(0, x.rank()).filter(i -> i != 1).toArray();
    }

    @Override
    protected long[] broadcastShape(INDArray x) {
        long[] b = new long[x.rank()];
        Arrays.fill(b, 1);
        b[1] = numFeatures;
        return b;
    }

    @Override
    protected void onBatchStatistics(INDArray mean, INDArray biasedVar, long m) {
        if (!training) {
            return;
        }
        INDArray unbiasedVar = biasedVar.reshape(numFeatures).mul((double) m / (m - 1));
        runningMean.muli(1 - momentum).addi(mean.reshape(numFeatures).mul(momentum));
        runningVar.muli(1 - momentum).addi(unbiasedVar.muli(momentum));
        batchesTracked++;
    }

    @Override
    protected INDArray[] statisticsForForward(INDArray batchMean, INDArray batchVar) {
        if (training) {
            return new INDArray[] {batchMean, batchVar};
        }
        long[] b = new long[batchMean.rank()];
        Arrays.fill(b, 1);
        b[1] = numFeatures;
        return new INDArray[] {runningMean.reshape(b), runningVar.reshape(b)};
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
