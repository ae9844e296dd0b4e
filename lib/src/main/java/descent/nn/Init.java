package descent.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How a {@link Linear} layer draws its initial weights, from its fan-in {@code n_in} and fan-out {@code n_out}
 * (set with {@link Linear#init(Init)}). Every scheme but {@link #TORCH_DEFAULT} starts the bias at 0.
 *
 * <pre>
 *   TORCH_DEFAULT   W, b ~ U(-1/sqrt(n_in), 1/sqrt(n_in))        Var W = 1 / (3 n_in)     nn.Linear's own init
 *   XAVIER_UNIFORM  W ~ U(-a, a), a = sqrt(6 / (n_in + n_out))   Var W = 2 / (n_in + n_out)   nn.init.xavier_uniform_(w)
 *   XAVIER_NORMAL   W ~ N(0, 2 / (n_in + n_out))                                            nn.init.xavier_normal_(w)
 *   HE_UNIFORM      W ~ U(-a, a), a = sqrt(6 / n_in)             Var W = 2 / n_in   nn.init.kaiming_uniform_(w, nonlinearity='relu')
 *   HE_NORMAL       W ~ N(0, 2 / n_in)                                     nn.init.kaiming_normal_(w, nonlinearity='relu')
 * </pre>
 *
 * Glorot and Bengio (2010) chose Var W = 2 / (n_in + n_out) so that, for an activation with slope 1 at 0 (tanh),
 * the variance of the activations (forward) and of the gradients (backward) stays about the same from layer to
 * layer. He et al. (2015) showed that ReLU, which zeroes half its inputs, needs twice the variance, 2 / n_in.
 * {@link #normal(double)} is a fixed standard deviation whatever the layer's size, the "naive" initialization.
 */
public interface Init {

    /** Fills {@code weight} ({@code [out, in]}) and {@code bias} ({@code [out]}) of a layer with these fans. */
    void fill(INDArray weight, INDArray bias, int fanIn, int fanOut, SplittableRandom rng);

    /** PyTorch's {@code nn.Linear} default: weight and bias uniform in +-1/sqrt(fanIn). */
    Init TORCH_DEFAULT = (w, b, fanIn, fanOut, rng) -> {
        double bound = 1.0 / Math.sqrt(fanIn);
        Layer.fillUniform(w, bound, rng);
        Layer.fillUniform(b, bound, rng);
    };

    /** Glorot/Xavier uniform: U(-a, a), a = sqrt(6 / (fanIn + fanOut)); bias 0. */
    Init XAVIER_UNIFORM = (w, b, fanIn, fanOut, rng) -> {
        Layer.fillUniform(w, Math.sqrt(6.0 / (fanIn + fanOut)), rng);
        b.assign(0.0);
    };

    /** Glorot/Xavier normal: N(0, 2 / (fanIn + fanOut)); bias 0. */
    Init XAVIER_NORMAL = (w, b, fanIn, fanOut, rng) -> {
        fillNormal(w, Math.sqrt(2.0 / (fanIn + fanOut)), rng);
        b.assign(0.0);
    };

    /** He/Kaiming uniform for ReLU: U(-a, a), a = sqrt(6 / fanIn); bias 0. */
    Init HE_UNIFORM = (w, b, fanIn, fanOut, rng) -> {
        Layer.fillUniform(w, Math.sqrt(6.0 / fanIn), rng);
        b.assign(0.0);
    };

    /** He/Kaiming normal for ReLU: N(0, 2 / fanIn); bias 0. */
    Init HE_NORMAL = (w, b, fanIn, fanOut, rng) -> {
        fillNormal(w, Math.sqrt(2.0 / fanIn), rng);
        b.assign(0.0);
    };

    /** N(0, std^2) whatever the layer's size (torch: {@code nn.init.normal_(w, std=std)}); bias 0. */
    static Init normal(double std) {
        if (!(std > 0 && Double.isFinite(std))) {
            throw new IllegalArgumentException("Init.normal: std must be positive and finite, got " + std);
        }
        return (w, b, fanIn, fanOut, rng) -> {
            fillNormal(w, std, rng);
            b.assign(0.0);
        };
    }

    /** N(0, std^2) values into {@code target}. */
    private static void fillNormal(INDArray target, double std, SplittableRandom rng) {
        double[] v = new double[(int) target.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = std * rng.nextGaussian();
        }
        target.assign(Nd4j.createFromArray(v).reshape(target.shape()).castTo(target.dataType()));
    }
}
