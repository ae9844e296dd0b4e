package descent.nn;

import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inverted dropout, as PyTorch's {@code nn.Dropout(p)}: in training
 * <pre>
 *   m ~ Bernoulli(1 - p) per element,   y = x * m / (1 - p),   dx = dy * m / (1 - p)
 * </pre>
 * and the identity in evaluation. The mask comes from a random source the trainer reseeds for every batch, so a
 * run is reproducible and resumable.
 */
public final class Dropout extends Layer {

    private final double p;
    private SplittableRandom rng = new SplittableRandom(0);
    private INDArray mask;
    private boolean active;

    public Dropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
    }

    @Override
    public String describe() {
        return "Dropout(" + p + ")";
    }

    @Override
    public long[] outputShape(long[] s) {
        return s.clone();
    }

    @Override
    void reseed(long seed) {
        rng = new SplittableRandom(seed);
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        active = training && p > 0;
        if (!active) {
            return x;
        }
        mask = buffer(0, x.shape());
        double keep = 1.0 / (1 - p);
        int n = (int) mask.length();
        if (dtype == DataType.FLOAT) {
            FloatBuffer m = mask.data().asNioFloat();
            for (int i = 0; i < n; i++) {
                m.put(i, rng.nextDouble() < p ? 0f : (float) keep);
            }
        } else {
            DoubleBuffer m = mask.data().asNioDouble();
            for (int i = 0; i < n; i++) {
                m.put(i, rng.nextDouble() < p ? 0.0 : keep);
            }
        }
        Reference.reachabilityFence(mask);   // the NIO view does not keep the mask's native memory alive
        INDArray y = buffer(1, x.shape());
        return y.assign(x).muli(mask);
    }

    @Override
    public INDArray backward(INDArray gy) {
        if (!active) {
            return gy;
        }
        return buffer(2, gy.shape()).assign(gy).muli(mask);
    }
}
