package descent.nn.norm;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer normalization, PyTorch {@code nn.LayerNorm(normalizedShape)} with {@code elementwise_affine=True}:
 * each example is normalized over its trailing {@code normalizedShape} axes (its features), with its own
 * mean and BIASED variance; gamma and beta have shape {@code normalizedShape}, one value per feature.
 *
 * <pre>
 *   x: [N, F]          with normalizedShape [F]        statistics over F, per example
 *   x: [N, H, W, C]    with normalizedShape [H, W, C]  statistics over H, W, C, per example (channels last)
 *   y = gamma * (x - mean) / sqrt(var + eps) + beta    (the same in training and evaluation: no running stats)
 * </pre>
 *
 * Default {@code eps = 1e-5} as torch. ND4J's own {@code layer_norm} op ({@code sd.nn().layerNorm})
 * has NO epsilon at all: it equals this layer with {@code eps(0)}, and differs from torch's default by
 * the eps term (negligible for var &gt;&gt; 1e-5, large for near-constant examples).
 *
 * <pre>{@code
 * LayerNorm ln = new LayerNorm(64);     // for x: [N, 64]
 * INDArray y  = ln.forward(x, true);
 * INDArray dx = ln.backward(dy);        // also fills ln.gradGamma(), ln.gradBeta()
 * }</pre>
 */
public final class LayerNorm extends NormLayer<LayerNorm> {

    private final long[] normalizedShape;

    /** @param normalizedShape the trailing axes of the input to normalize over, e.g. {@code 64} or {@code 32, 32, 3} */
    public LayerNorm(long... normalizedShape) {
        super(checkShape(normalizedShape));
        this.normalizedShape = normalizedShape.clone();
    }

    private static long[] checkShape(long[] s) {
        if (s == null || s.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape must name at least one axis");
        }
        return s;
    }

    public long[] normalizedShape() {
        return normalizedShape.clone();
    }

    @Override
    public String describe() {
        return "LayerNorm" + Arrays.toString(normalizedShape);
    }

    @Override
    protected void checkInput(INDArray x, boolean training) {
        int k = normalizedShape.length;
        long[] tail = x.rank() > k ? Arrays.copyOfRange(x.shape(), x.rank() - k, x.rank()) : null;
        if (tail == null || !Arrays.equals(tail, normalizedShape)) {
            throw new IllegalArgumentException("LayerNorm" + Arrays.toString(normalizedShape)
                    + ": expected input [N, ..., " + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "")
                    + "] (trailing axes equal to normalizedShape, at least one leading batch axis), got "
                    + Arrays.toString(x.shape()));
        }
    }

    @Override
    protected int[] statisticAxes(INDArray x) {
        return IntStream.range(x.rank() - normalizedShape.length, x.rank()).toArray();
    }

    @Override
    protected long[] broadcastShape(INDArray x) {
        long[] b = new long[x.rank()];
        Arrays.fill(b, 1);
        System.arraycopy(normalizedShape, 0, b, x.rank() - normalizedShape.length, normalizedShape.length);
        return b;
    }

    @Override
    protected LayerNorm self() {
        return this;
    }

    @Override
    protected String name() {
        return "LayerNorm";
    }
}
