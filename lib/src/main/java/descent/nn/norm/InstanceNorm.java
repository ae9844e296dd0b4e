package descent.nn.norm;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Instance normalization, PyTorch {@code nn.InstanceNorm2d(C, affine=True)} (and {@code InstanceNorm1d}), channels
 * last: each example's each channel is normalized over its own spatial axes, with its own mean and BIASED variance;
 * gamma and beta have one value per channel.
 *
 * <pre>
 *   x: [N, H, W, C]   statistics over H, W, separately for every (n, c)      (also [N, L, C]: over L)
 *   y = gamma[c] * (x - mean) / sqrt(var + eps) + beta[c]
 * </pre>
 *
 * As torch's default ({@code track_running_stats=False}) there are no running statistics: training and evaluation
 * compute the same. torch's default is {@code affine=False}; this layer is always affine, and with its initial
 * gamma = 1, beta = 0 it computes the same output as {@code affine=False}. Default {@code eps = 1e-5}. Needs more
 * than one spatial element (torch refuses one too).
 *
 * <pre>{@code
 * InstanceNorm in = new InstanceNorm(3);
 * INDArray y  = in.forward(images, true);     // [N, H, W, 3]
 * INDArray dx = in.backward(dy);
 * }</pre>
 */
public final class InstanceNorm extends NormLayer<InstanceNorm> {

    private final long numChannels;

    /** @param numChannels the size of axis 1 */
    public InstanceNorm(long numChannels) {
        super(new long[] {checkPositive(numChannels)});
        this.numChannels = numChannels;
    }

    private static long checkPositive(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("InstanceNorm: numChannels must be >= 1, got " + n);
        }
        return n;
    }

    public long numChannels() {
        return numChannels;
    }

    @Override
    public String describe() {
        return "InstanceNorm(" + numChannels + ")";
    }

    @Override
    protected void checkInput(INDArray x, boolean training) {
        if (x.rank() < 3 || x.rank() > 4 || x.size(x.rank() - 1) != numChannels) {
            throw new IllegalArgumentException("InstanceNorm(" + numChannels + "): expected input [N, H, W, "
                    + numChannels + "] or [N, L, " + numChannels + "] (channels last), got " + Arrays.toString(x.shape()));
        }
        if (x.length() / (x.size(0) * numChannels) < 2) {
            throw new IllegalArgumentException("InstanceNorm: needs more than 1 spatial element per channel, got "
                    + Arrays.toString(x.shape()));
        }
    }

    @Override
    protected int[] statisticAxes(INDArray x) {
        return IntStream.range(1, x.rank() - 1).toArray();
    }

    @Override
    protected long[] broadcastShape(INDArray x) {
        long[] b = new long[x.rank()];
        Arrays.fill(b, 1);
        b[x.rank() - 1] = numChannels;
        return b;
    }

    @Override
    protected InstanceNorm self() {
        return this;
    }

    @Override
    protected String name() {
        return "InstanceNorm";
    }
}
