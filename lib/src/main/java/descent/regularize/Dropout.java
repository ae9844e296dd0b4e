package descent.regularize;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout, PyTorch {@code nn.Dropout(p)}: in training each element is zeroed with probability
 * {@code p} and the survivors are scaled by {@code 1/(1-p)}, so the expectation is unchanged and eval
 * needs no rescaling.
 *
 * <pre>
 * training:  mask_i = (u_i >= p) / (1 - p),   u_i ~ Uniform[0, 1) drawn fresh each forward
 *            y = x * mask                     E[y_i] = x_i
 *            dx = dy * mask                   (backward reuses the forward's mask)
 * eval:      y = x,  dx = dy                  (the same arrays are returned)
 * </pre>
 *
 * Seeded: two Dropout objects with the same seed and the same sequence of calls draw the same masks
 * (ND4J's native generator, reproducible for this ND4J version; not torch's generator).
 * {@code p} must lie in [0, 1); unlike torch, p = 1 is refused (it would drop everything and 1/(1-p)
 * is undefined).
 *
 * <pre>{@code
 * Dropout drop = new Dropout(0.5, 42);
 * INDArray h  = drop.forward(a);        // training mode by default, as torch
 * INDArray da = drop.backward(dh);
 * drop.eval();                          // identity from now on
 * }</pre>
 */
public final class Dropout {

    private final double p;
    private final long seed;
    private final Random rng;
    private boolean training = true;
    private INDArray mask;

    /**
     * @param p    probability of zeroing an element, in [0, 1)
     * @param seed seed of this layer's own random generator
     */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: probability p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.seed = seed;
        this.rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    public double p() {
        return p;
    }

    public long seed() {
        return seed;
    }

    /** Training mode: random masks. */
    public Dropout train() {
        training = true;
        return this;
    }

    /** Eval mode: identity. */
    public Dropout eval() {
        training = false;
        return this;
    }

    public boolean isTraining() {
        return training;
    }

    /** In training {@code x * mask} with a fresh mask (a new array); in eval {@code x} itself. */
    public INDArray forward(INDArray x) {
        Checks.notNull("Dropout", "x", x);
        if (!training) {
            mask = null;
            return x;
        }
        if (!x.dataType().isFPType()) {
            throw new IllegalArgumentException("Dropout: x must be a floating-point array, got " + x.dataType());
        }
        INDArray u = Nd4j.createUninitialized(x.dataType(), x.shape());
        Nd4j.rand(u, rng);
        mask = u.gte(p).castTo(x.dataType()).muli(1.0 / (1.0 - p));
        return x.mul(mask);
    }

    /** {@code gradOutput * mask} of the last training forward; in eval {@code gradOutput} itself. */
    public INDArray backward(INDArray gradOutput) {
        Checks.notNull("Dropout", "gradOutput", gradOutput);
        if (!training) {
            return gradOutput;
        }
        if (mask == null) {
            throw new IllegalStateException("Dropout: backward in training mode needs a training-mode forward first");
        }
        if (!Arrays.equals(mask.shape(), gradOutput.shape())) {
            throw new IllegalArgumentException("Dropout: gradOutput shape " + Arrays.toString(gradOutput.shape())
                    + " does not match the last input's shape " + Arrays.toString(mask.shape()));
        }
        return gradOutput.mul(mask);
    }

    /** The last training forward's mask (values 0 or 1/(1-p)), or null. */
    public INDArray mask() {
        return mask;
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ", seed=" + seed + (training ? ", train)" : ", eval)");
    }
}
