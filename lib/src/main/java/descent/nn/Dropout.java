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
 * and the identity in evaluation ({@code forward(x, false)} returns x itself). {@code p} must lie in [0, 1); unlike
 * torch, p = 1 is refused (it would drop everything and 1/(1-p) is undefined).
 *
 * <p>Random source: a {@link SplittableRandom}, seeded by the constructor and advanced by every training forward,
 * so two layers with the same seed and the same calls draw the same masks. In a {@link Sequential} trained by
 * {@code descent.train.Trainer} it is reseeded for every batch from the run's seed, the epoch and the batch, so a
 * run is reproducible and resumable.
 *
 * <pre>{@code
 * Dropout drop = new Dropout(0.5, 42);
 * INDArray h  = drop.forward(a, true);    // training: a fresh mask
 * INDArray da = drop.backward(dh);        // the same mask
 * drop.forward(a, false);                 // evaluation: a itself
 * }</pre>
 */
public final class Dropout extends Layer {

    private final double p;
    private SplittableRandom rng;
    private INDArray mask;
    private boolean active;

    /** Dropout with probability {@code p} and seed 0. */
    public Dropout(double p) {
        this(p, 0);
    }

    /** Dropout with probability {@code p} in [0, 1), its random source seeded with {@code seed}. */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: probability p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.rng = new SplittableRandom(seed);
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    /** The last training forward's mask (values 0 or 1/(1-p)), or null before one. */
    public INDArray mask() {
        return mask;
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
    protected void reseed(long seed) {
        rng = new SplittableRandom(seed);
    }

    @Override
    public INDArray forward(INDArray x, boolean training) {
        if (x == null || !x.dataType().isFPType()) {
            throw new IllegalArgumentException("Dropout: x must be a floating-point array, got "
                    + (x == null ? "null" : x.dataType()));
        }
        ensureBound(x.dataType());
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
        if (gy == null || !java.util.Arrays.equals(gy.shape(), mask.shape())) {
            throw new IllegalArgumentException("Dropout: gradOutput shape " + (gy == null ? "null"
                    : java.util.Arrays.toString(gy.shape())) + " does not match the last input's shape "
                    + java.util.Arrays.toString(mask.shape()));
        }
        return buffer(2, gy.shape()).assign(gy).muli(mask);
    }
}
